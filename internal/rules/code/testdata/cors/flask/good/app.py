from flask import Flask, request
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["https://app.example.com"], supports_credentials=True)
# CORS(app, origins="*", supports_credentials=True)
EXAMPLE = 'CORS(app, origins="*")'


@app.after_request
def add_cors(response):
    origin = request.headers.get("Origin")
    if origin in {"https://app.example.com"}:
        response.headers["Access-Control-Allow-Origin"] = origin
    return response

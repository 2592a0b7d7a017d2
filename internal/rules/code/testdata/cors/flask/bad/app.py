from flask import Flask
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, supports_credentials=True)  # want "cors/wildcard-origin-with-credentials: .*default of CORS"

ALLOWED = ["https://app.example.com", "null"]  # want "cors/null-origin"
CORS(app, origins=ALLOWED)


@app.route("/api/data")
@cross_origin(origins="*")  # want "cors/wildcard-origin: "
def data():
    return {"ok": True}


@app.after_request
def add_cors(response):
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")  # want "cors/reflected-origin"
    return response

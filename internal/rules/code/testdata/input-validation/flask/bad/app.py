from flask import Flask, request

app = Flask(__name__)


@app.post("/notes")
def create_note():
    data = request.get_json()  # want "input-validation/body-without-validator: POST /notes"
    return save(data), 201

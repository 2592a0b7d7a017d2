from flask import Flask, request
from pydantic import BaseModel


class Note(BaseModel):
    text: str


app = Flask(__name__)


@app.post("/notes")
def create_note():
    note = Note.model_validate(request.get_json())
    return save(note), 201

from flask import Flask, request

app = Flask(__name__)


@app.post("/upload")
def upload():
    f = request.files["file"]  # want "uploads/multipart-without-size-limit: POST /upload reads request.files"
    f.save("/tmp/x")
    return "", 204

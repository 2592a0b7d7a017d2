from flask import Flask, request

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024


@app.post("/upload")
def upload():
    f = request.files["file"]
    f.save("/tmp/x")
    return "", 204

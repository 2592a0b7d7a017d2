from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app)


@app.route("/login", methods=["POST"])
@limiter.limit("5/minute")
def login():
    return "", 204


@app.post("/register")
@limiter.limit("3/hour")
def register():
    return "", 201

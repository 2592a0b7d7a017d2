from flask import Flask, make_response

app = Flask(__name__)
app.config["SESSION_COOKIE_HTTPONLY"] = False  # want "sessions/cookie-missing-httponly"
app.config.update(SESSION_COOKIE_SECURE=False)  # want "sessions/cookie-missing-secure"


@app.route("/login", methods=["POST"])
def login():
    resp = make_response("ok")
    resp.set_cookie("session_id", "x", secure=True)  # want "sessions/cookie-missing-httponly"
    return resp

from flask import Flask, make_response

app = Flask(__name__)
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")


@app.route("/login", methods=["POST"])
def login():
    resp = make_response("ok")
    resp.set_cookie("session_id", "x", secure=True, httponly=True, samesite="Lax")
    resp.set_cookie("theme", "dark")
    return resp

from flask import Blueprint, Flask

app = Flask(__name__)
auth = Blueprint("auth", __name__, url_prefix="/auth")


@auth.route("/reset-password", methods=["POST"])  # want "rate-limits/login-route-without-limit: POST /auth/reset-password"
def reset_password():
    return "", 204


app.register_blueprint(auth)

from flask import Blueprint
from flask_login import login_required

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.get("/users")
@login_required
def users():
    return []


@admin.post("/users/<int:uid>/ban")  # want "auth/route-outside-auth-middleware: POST /admin/users/<int:uid>/ban"
def ban(uid):
    return "", 204

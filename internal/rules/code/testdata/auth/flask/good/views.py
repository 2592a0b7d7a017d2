from flask import Blueprint, g
from flask_login import login_required

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.get("/users")
@login_required
def users():
    return []


@admin.post("/users/<int:uid>/ban")
def ban(uid):
    if g.user is None or not g.user.is_admin:
        abort(403)
    return "", 204

import logging
import os

from flask import Flask, jsonify

app = Flask(__name__)
app.debug = os.environ.get("FLASK_DEBUG") == "1"


@app.errorhandler(Exception)
def on_error(e):
    logging.exception("unhandled")
    return jsonify(error="internal error"), 500

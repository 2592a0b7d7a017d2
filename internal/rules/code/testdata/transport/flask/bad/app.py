import traceback

from flask import Flask, jsonify

app = Flask(__name__)
app.debug = True  # want "transport/debug-mode-in-production"


@app.errorhandler(Exception)
def on_error(e):
    return jsonify(error=str(e), trace=traceback.format_exc()), 500  # want "transport/stack-trace-to-client"


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)  # want "transport/debug-mode-in-production"

from flask import Flask

app = Flask(__name__)


@app.get("/api/items")  # want "monitoring/no-error-tracking" "monitoring/no-health-route"
def items():
    return []

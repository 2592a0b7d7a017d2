import sentry_sdk
from flask import Flask

sentry_sdk.init(dsn=os.environ["SENTRY_DSN"])
app = Flask(__name__)


@app.get("/health")
def health():
    return "ok"

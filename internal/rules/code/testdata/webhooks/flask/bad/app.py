import json

import stripe
from flask import Flask, request

app = Flask(__name__)


@app.route("/stripe/webhook", methods=["POST"])  # want "webhooks/unverified-stripe-webhook"
def stripe_webhook():  # noqa
    event = request.get_json()
    if event["type"] == "invoice.paid":
        mark_paid(event["data"]["object"])
    return "", 200


@app.post("/webhook/stripe-v2")
def stripe_webhook_v2():
    sig = request.headers.get("Stripe-Signature")
    event = stripe.Webhook.construct_event(json.dumps(request.json), sig, SECRET)  # want "webhooks/json-parsed-before-verify"
    return "", 200

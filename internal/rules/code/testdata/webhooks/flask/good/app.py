import stripe
from flask import Flask, request

app = Flask(__name__)


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    sig = request.headers.get("Stripe-Signature")
    event = stripe.Webhook.construct_event(request.get_data(), sig, SECRET)
    if event["type"] == "invoice.paid":
        mark_paid(event["data"]["object"])
    return "", 200

const express = require('express');
const crypto = require('crypto');
const Stripe = require('stripe');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), (req, res) => {
  const sig = req.headers['stripe-signature'];
  const event = stripe.webhooks.constructEvent(req.body, sig, process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ received: event.id });
});

app.use(express.json());

function verifySignature(req) {
  const timestamp = req.get('x-timestamp');
  const mac = crypto.createHmac('sha256', process.env.HOOK_SECRET).update(timestamp + '.' + req.rawBody).digest();
  return crypto.timingSafeEqual(mac, Buffer.from(req.get('x-signature'), 'hex'));
}

app.post('/hooks/custom', (req, res) => {
  if (!verifySignature(req)) {
    return res.sendStatus(401);
  }
  handle(req.body);
  res.sendStatus(204);
});

const express = require('express');
const crypto = require('crypto');
const Stripe = require('stripe');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();
app.use(express.json());

app.post('/webhooks/stripe', async (req, res) => { // want "webhooks/unverified-stripe-webhook"
  const event = req.body;
  if (event.type === 'checkout.session.completed') {
    await fulfil(event.data.object);
  }
  res.sendStatus(200);
});

app.post('/webhooks/stripe-v2', (req, res) => {
  const sig = req.headers['stripe-signature'];
  const event = stripe.webhooks.constructEvent(req.body, sig, process.env.STRIPE_WEBHOOK_SECRET); // want "webhooks/json-parsed-before-verify: .*req.body after a JSON body parser"
  res.json({ received: event.id });
});

app.post('/hooks/github', (req, res) => {
  const expected = crypto.createHmac('sha256', process.env.GITHUB_SECRET).update(JSON.stringify(req.body)).digest('hex'); // want "webhooks/json-parsed-before-verify: .*JSON.stringify" "webhooks/signature-compared-unsafely"
  if (req.headers['x-hub-signature-256'] !== 'sha256=' + expected) {
    return res.sendStatus(401);
  }
  handle(req.body);
  res.sendStatus(204);
});

app.post('/hooks/custom', (req, res) => {
  const mac = crypto.createHmac('sha256', process.env.HOOK_SECRET).update(req.rawBody).digest(); // want "webhooks/no-replay-protection"
  if (!crypto.timingSafeEqual(mac, Buffer.from(req.get('x-signature'), 'hex'))) {
    return res.sendStatus(401);
  }
  handle(req.body);
  res.sendStatus(204);
});

app.post('/webhooks/shopify', (req, res) => { // want "webhooks/unverified-webhook: Shopify webhook"
  createOrder(req.body);
  res.sendStatus(200);
});

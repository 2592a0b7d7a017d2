import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const body = await req.json();
  const sig = req.headers.get('stripe-signature')!;
  const event = stripe.webhooks.constructEvent(JSON.stringify(body), sig, process.env.STRIPE_WEBHOOK_SECRET!); // want "webhooks/json-parsed-before-verify"
  return Response.json({ id: event.id });
}

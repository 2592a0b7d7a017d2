import { Webhook } from 'svix';

export async function POST(req: Request) {
  const payload = await req.text();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  const evt = wh.verify(payload, Object.fromEntries(req.headers)) as { type: string };
  if (evt.type === 'user.created') {
    await createUser(evt);
  }
  return new Response('ok');
}

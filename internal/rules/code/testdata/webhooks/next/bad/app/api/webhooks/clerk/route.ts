export async function POST(req: Request) { // want "webhooks/unverified-webhook: Clerk webhook"
  const evt = await req.json();
  if (evt.type === 'user.created') {
    await createUser(evt.data);
  }
  return new Response('ok');
}

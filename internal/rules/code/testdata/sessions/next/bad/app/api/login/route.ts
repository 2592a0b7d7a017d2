import { cookies } from 'next/headers';

export async function POST(request: Request) {
  const { token } = await request.json();
  cookies().set('auth-token', token, { secure: true }); // want "sessions/cookie-missing-httponly"
  cookies().set({ name: 'session', value: token, httpOnly: true }); // want "sessions/cookie-missing-secure"
  return Response.json({ ok: true });
}

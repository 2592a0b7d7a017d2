import { cookies } from 'next/headers';

export async function POST(request: Request) {
  const { token } = await request.json();
  cookies().set('auth-token', token, { httpOnly: true, secure: true, sameSite: 'lax' });
  cookies().set('locale', 'en');
  return Response.json({ ok: true });
}

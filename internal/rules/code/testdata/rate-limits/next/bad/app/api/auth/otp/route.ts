export async function POST(req: Request) { // want "rate-limits/login-route-without-limit: POST /api/auth/otp"
  const { phone } = await req.json();
  await sendCode(phone);
  return Response.json({ sent: true });
}

import { NextResponse } from 'next/server';

export async function GET(request: Request) {
  const origin = request.headers.get('origin') ?? '';
  return NextResponse.json({ ok: true }, {
    headers: { 'Access-Control-Allow-Origin': origin }, // want "cors/reflected-origin"
  });
}

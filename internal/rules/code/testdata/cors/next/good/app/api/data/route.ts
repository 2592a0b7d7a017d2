import { NextResponse } from 'next/server';

const allowed = new Set(['https://app.example.com']);

export async function GET(request: Request) {
  const origin = request.headers.get('origin') ?? '';
  const headers: Record<string, string> = {};
  if (allowed.has(origin)) {
    headers['Access-Control-Allow-Origin'] = origin;
  }
  return NextResponse.json({ ok: true }, { headers });
}

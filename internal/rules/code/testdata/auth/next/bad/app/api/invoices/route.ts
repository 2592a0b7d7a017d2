import { prisma } from '@/lib/db';

export async function GET() { // want "auth/next-handler-without-session: GET /api/invoices calls prisma.invoice.findMany"
  const invoices = await prisma.invoice.findMany();
  return Response.json(invoices);
}

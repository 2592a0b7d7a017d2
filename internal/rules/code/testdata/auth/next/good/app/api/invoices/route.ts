import { auth } from '@/auth';
import { prisma } from '@/lib/db';

export async function GET() {
  const session = await auth();
  if (!session) return new Response('unauthorized', { status: 401 });
  const invoices = await prisma.invoice.findMany({ where: { userId: session.user.id } });
  return Response.json(invoices);
}

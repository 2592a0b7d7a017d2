import { prisma } from '@/lib/db';

export async function GET() {
  return Response.json({ users: await prisma.user.count() });
}

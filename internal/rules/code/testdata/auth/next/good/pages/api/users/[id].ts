import { getServerSession } from 'next-auth/next';
import db from '../../../lib/db';

export default async function handler(req, res) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  await db.user.delete({ where: { id: session.user.id } });
  res.status(204).end();
}

import db from '../../../lib/db';

export default async function handler(req, res) { // want "auth/next-handler-without-session: ANY /api/users/:id"
  await db.user.delete({ where: { id: req.query.id } });
  res.status(204).end();
}

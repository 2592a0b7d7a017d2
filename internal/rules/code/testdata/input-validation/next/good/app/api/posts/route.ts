import { PostSchema } from '@/lib/schemas';

export async function POST(request: Request) {
  const parsed = PostSchema.safeParse(await request.json());
  if (!parsed.success) return Response.json(parsed.error, { status: 400 });
  return Response.json(await savePost(parsed.data));
}

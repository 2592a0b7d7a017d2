export async function POST(request: Request) {
  const data = await request.json(); // want "input-validation/body-without-validator: POST /api/posts"
  return Response.json(await savePost(data));
}

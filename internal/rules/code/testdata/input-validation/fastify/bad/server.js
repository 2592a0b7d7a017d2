import Fastify from 'fastify';
const app = Fastify();
app.post("/items", async (request) => {
  return saveItem(request.body); // want "input-validation/body-without-validator: POST /items"
});

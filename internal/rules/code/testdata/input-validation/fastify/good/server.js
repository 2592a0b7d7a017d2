import Fastify from 'fastify';
const app = Fastify();
const schema = { body: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 80 } } } };
app.post('/items', { schema }, async (request) => saveItem(request.body));

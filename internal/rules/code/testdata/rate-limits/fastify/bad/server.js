import Fastify from 'fastify';
const app = Fastify();
app.post('/signup', async (request) => createUser(request.body)); // want "rate-limits/login-route-without-limit"

import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
const app = Fastify();
await app.register(rateLimit, { global: false });
app.post('/signup', { config: { rateLimit: { max: 3, timeWindow: '1 minute' } } }, async (request) => createUser(request.body));

import Fastify from 'fastify';
import cors from '@fastify/cors';

const app = Fastify();
await app.register(cors, { origin: true, credentials: true }); // want "cors/reflected-origin: .* with credentials"
await app.register(cors); // want "cors/wildcard-origin: .*default"

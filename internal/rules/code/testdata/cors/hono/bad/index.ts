import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();
app.use('/api/*', cors({ origin: (origin) => origin, credentials: true })); // want "cors/reflected-origin: .*with credentials"
app.use('/public/*', cors({ origin: '*' })); // want "cors/wildcard-origin: CORS allows any origin \\('\\*'\\)"

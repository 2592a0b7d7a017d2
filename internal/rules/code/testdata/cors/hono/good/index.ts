import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();
app.use('/api/*', cors({ origin: (origin) => (origin.endsWith('.example.com') ? origin : null), credentials: true }));
app.use('/app/*', cors({ origin: ['https://app.example.com'] }));

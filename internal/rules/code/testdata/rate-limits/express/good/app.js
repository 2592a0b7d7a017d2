const express = require('express');
const rateLimit = require('express-rate-limit');
const auth = require('./routes/auth');

const app = express();
app.use(rateLimit({ windowMs: 15 * 60 * 1000, limit: 100 }));
app.use('/auth', auth);
app.post('/upload', upload.single('file'), (req, res) => res.json({ ok: true }));

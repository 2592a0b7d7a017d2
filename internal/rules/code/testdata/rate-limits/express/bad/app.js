const express = require('express');
const auth = require('./routes/auth');

const app = express();
app.use(express.json());
app.use('/auth', auth);
app.post('/upload', upload.single('file'), (req, res) => res.json({ ok: true })); // want "rate-limits/sensitive-route-without-limit: POST /upload"
app.post('/reports/export', (req, res) => res.json({})); // want "rate-limits/sensitive-route-without-limit: POST /reports/export"
app.get('/login', (req, res) => res.send('form'));

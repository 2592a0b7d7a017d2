require('./instrument');
const express = require('express');
const app = express();
app.get('/healthz', (req, res) => res.send('ok'));
app.get('/api/items', (req, res) => res.json([]));
app.listen(3000);

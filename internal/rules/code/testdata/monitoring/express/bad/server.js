const express = require('express');
const app = express();
app.get('/api/items', (req, res) => res.json([])); // want "monitoring/no-error-tracking" "monitoring/no-health-route"
app.post('/api/items', (req, res) => res.status(201).end());
app.listen(3000);

const express = require('express');
const app = express();
app.get('/x', (req, res) => res.json({}));
app.use((err, req, res, next) => {
  res.status(500).json({ message: err.message, stack: err.stack }); // want "transport/stack-trace-to-client"
});

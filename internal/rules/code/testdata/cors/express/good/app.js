const express = require('express');
const cors = require('cors');
const { corsOptions } = require('./options');

const allowed = ['https://app.example.com', 'https://admin.example.com'];
const app = express();
app.use(cors({ origin: allowed, credentials: true }));
app.use('/b', cors(corsOptions));
// app.use(cors({ origin: '*', credentials: true }))
const docs = "app.use(cors({ origin: true, credentials: true }))";
app.use('/c', cors({ origin: /^https:\/\/([a-z0-9-]+\.)?example\.com$/ }));
app.use('/d', cors({ origin: (origin, cb) => cb(null, allowed.includes(origin)) }));
app.use('/e', cors({
  origin(origin, callback) {
    if (!origin || origin.endsWith('.example.com')) return callback(null, true);
    callback(new Error('not allowed'));
  },
}));

app.get('/h', (req, res) => {
  const origin = req.headers.origin;
  if (allowed.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  res.json({ docs });
});

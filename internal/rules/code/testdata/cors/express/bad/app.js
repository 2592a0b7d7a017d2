const express = require('express');
const cors = require('cors');
const { corsOptions } = require('./options');

const app = express();
app.use(cors()); // want "cors/wildcard-origin: CORS allows any origin \\(the default of cors\\(\\)\\)"
app.use('/a', cors({ origin: true, credentials: true })); // want "cors/reflected-origin: .*origin: true.* with credentials"
app.use('/b', cors(corsOptions));
app.use('/c', cors({ origin: /example\.com$/ })); // want "cors/unanchored-origin-check: .*not anchored with \\^"
app.use('/d', cors({ origin: ['https://app.example.com', 'null'] })); // want "cors/null-origin"
app.use('/e', cors({ origin: (origin, cb) => cb(null, true) })); // want "cors/reflected-origin: .*callback that allows every origin"
app.use('/f', cors({
  origin(origin, callback) {
    if (origin.endsWith('example.com')) { // want "cors/unanchored-origin-check: .*endsWith\\('example.com'\\)"
      callback(null, true);
    } else {
      callback(new Error('not allowed'));
    }
  },
}));
const opts = { origin: process.env.ALLOWED_ORIGIN || '*' }; // want "cors/wildcard-origin: .*fallback"
app.use('/g', cors(opts));

app.get('/h', (req, res) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin); // want "cors/reflected-origin: .*\\(req.headers.origin\\) with credentials"
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.json({ ok: true });
});

app.listen(3000);

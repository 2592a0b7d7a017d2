const express = require('express');
const session = require('express-session');
const { cookieOptions } = require('./cookies');

const isProd = process.env.NODE_ENV === 'production';
const app = express();
app.set('trust proxy', 1);
app.use(session({
  name: 'sid',
  secret: process.env.SESSION_SECRET,
  cookie: { secure: isProd, httpOnly: true, sameSite: 'lax' },
}));

app.post('/login', (req, res) => {
  res.cookie('session_token', 'x', { httpOnly: true, secure: true, sameSite: 'strict' });
  res.cookie('refresh', 'y', cookieOptions);
  res.cookie('theme', 'dark');
  // res.cookie('token', 'z')
  res.json({ ok: true });
});

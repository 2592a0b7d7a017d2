const express = require('express');
const session = require('express-session');
const { cookieOptions } = require('./cookies');

const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false })); // want "sessions/cookie-missing-secure: express-session sets cookie 'connect.sid' without Secure"

app.post('/login', (req, res) => {
  res.cookie('session_token', 'x', { secure: true, sameSite: 'none' }); // want "sessions/cookie-missing-httponly" "sessions/cookie-samesite-none"
  res.cookie('refresh', 'y', cookieOptions); // want "sessions/cookie-missing-secure"
  res.cookie('theme', 'dark');
  res.json({ ok: true });
});

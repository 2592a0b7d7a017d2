exports.cookieOptions = {
  httpOnly: false, // want "sessions/cookie-missing-httponly"
};

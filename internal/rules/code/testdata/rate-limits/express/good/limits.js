const rateLimit = require('express-rate-limit');
exports.loginLimiter = rateLimit({ windowMs: 60 * 1000, limit: 5 });

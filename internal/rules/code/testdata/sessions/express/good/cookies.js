exports.cookieOptions = { httpOnly: true, secure: true, sameSite: 'lax', path: '/auth/refresh' };

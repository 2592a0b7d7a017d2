const { Router } = require('express');
const { loginLimiter } = require('../limits');
const router = Router();
router.post('/login', loginLimiter, async (req, res) => res.json(await signIn(req.body)));
module.exports = router;

const express = require('express');
const { requireAuth } = require('./auth');

const router = express.Router();
router.get('/projects', requireAuth, listProjects);
router.post('/projects', requireAuth, createProject);
router.delete('/projects/:id', deleteProject); // want "auth/route-outside-auth-middleware: DELETE /projects/:id is outside the auth middleware 2 sibling routes use"
router.get('/status-page', statusPage);
router.post('/login', login);
module.exports = router;

const express = require('express');
const { requireAuth } = require('./auth');

const router = express.Router();
router.post('/login', login);
router.get('/public/posts', listPublicPosts);
router.use(requireAuth);
router.get('/projects', listProjects);
router.post('/projects', createProject);
router.delete('/projects/:id', deleteProject);
module.exports = router;

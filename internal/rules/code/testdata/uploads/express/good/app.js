const express = require('express');
const multer = require('multer');

const storage = multer.memoryStorage();
const options = {
  storage,
  limits: { fileSize: 2 * 1024 * 1024, files: 1 },
  fileFilter: (req, file, cb) => cb(null, ['image/png', 'image/jpeg'].includes(file.mimetype)),
};
const upload = multer(options);
const app = express();
app.post('/avatar', upload.single('avatar'), (req, res) => res.json({ ok: true }));

const express = require('express');
const multer = require('multer');
const formidable = require('formidable');

const upload = multer({ dest: 'uploads/' }); // want "uploads/multer-without-limits" "uploads/upload-without-type-filter"
const app = express();
app.post('/avatar', upload.single('avatar'), (req, res) => res.json({ ok: true }));
app.post('/import', (req, res) => {
  const form = formidable({ multiples: true }); // want "uploads/multipart-without-size-limit: formidable"
  form.parse(req, () => res.end());
});

const express = require('express');
const app = express();
app.use(express.json());
app.post('/users', async (req, res) => {
  const user = await db.user.create({ data: req.body }); // want "input-validation/body-without-validator: POST /users"
  res.json(user);
});
app.patch('/users/:id', async (req, res) => {
  const { name, role } = req.body; // want "input-validation/body-without-validator: PATCH /users/:id"
  res.json(await db.user.update({ where: { id: req.params.id }, data: { name, role } }));
});

const express = require('express');
const { z } = require('zod');
const { celebrate, Joi, Segments } = require('celebrate');
const { body, validationResult } = require('express-validator');

const UserSchema = z.object({ name: z.string().max(100) });
const app = express();
app.use(express.json());
app.post('/users', async (req, res) => {
  const data = UserSchema.parse(req.body);
  res.json(await db.user.create({ data }));
});
app.patch('/users/:id', celebrate({ [Segments.BODY]: Joi.object({ name: Joi.string() }) }), async (req, res) => {
  res.json(await db.user.update({ where: { id: req.params.id }, data: req.body }));
});
app.put('/profile', body('email').isEmail(), (req, res) => {
  res.json(req.body);
});
app.delete('/users/:id', async (req, res) => res.json(await db.user.delete({ where: { id: req.params.id } })));

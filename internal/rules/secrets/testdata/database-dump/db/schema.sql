CREATE TABLE users (
  id bigserial PRIMARY KEY,
  password_hash text NOT NULL
);

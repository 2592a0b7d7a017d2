INSERT INTO users (email, password_hash) VALUES ('ops@corp.test', '$2b$12$Kq8vZt2Xk9Rm4WpB7nQ3sOHc6Yd1Tf5Uj8Kw2Lz0Ej3Vb6Nq9Xa1M'); -- want "secrets/database-dump: Password hash inserted into an account table"
INSERT INTO products (name, digest) VALUES ('x', '$2b$12$Kq8vZt2Xk9Rm4WpB7nQ3sOHc6Yd1Tf5Uj8Kw2Lz0Ej3Vb6Nq9Xa1M');
INSERT INTO users (email, password_hash) VALUES ('dev@corp.test', crypt('x', gen_salt('bf')));

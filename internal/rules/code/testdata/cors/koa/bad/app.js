const Koa = require('koa');
const cors = require('@koa/cors');
const app = new Koa();
app.use(cors({ credentials: true })); // want "cors/reflected-origin: .*default of cors\\(\\).* with credentials"

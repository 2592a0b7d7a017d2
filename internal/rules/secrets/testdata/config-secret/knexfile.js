module.exports = {
  production: {
    client: 'pg',
    connection: { host: 'pg.corp.internal', user: 'shop', password: 'Zm4Xq9Lt2Wk7' }, // want "Secret \"password\""
  },
  development: { connection: { password: process.env.DB_PASSWORD } },
};

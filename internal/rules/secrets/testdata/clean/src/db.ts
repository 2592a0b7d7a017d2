const url = `postgres://${user}:${password}@${host}/app`;
const dsn = "mysql://" + user + ":" + pass + "@" + host;

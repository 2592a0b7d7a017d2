module.exports.corsOptions = {
  origin: '*', // want "cors/wildcard-origin-with-credentials"
  credentials: true,
};

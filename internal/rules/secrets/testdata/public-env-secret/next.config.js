module.exports = {
  env: {
    NEXT_PUBLIC_APP_NAME: "shop",
    NEXT_PUBLIC_WEBHOOK_SECRET: "Vb3Nq8Zt1Wk6Rt", // want "NEXT_PUBLIC_WEBHOOK_SECRET"
  },
};

export const corsOptions = {
  origin: ['https://app.example.com'],
  credentials: true,
};

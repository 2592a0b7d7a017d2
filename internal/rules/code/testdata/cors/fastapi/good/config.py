ORIGINS = ["https://app.example.com", "https://admin.example.com"]

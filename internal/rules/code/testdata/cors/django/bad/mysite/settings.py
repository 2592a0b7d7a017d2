INSTALLED_APPS = ["corsheaders"]
CORS_ALLOW_ALL_ORIGINS = True  # want "cors/wildcard-origin-with-credentials"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOWED_ORIGIN_REGEXES = [
    r"^https://\w+\.example\.com",  # want "cors/unanchored-origin-check: .*not anchored with \\$"
]

INSTALLED_APPS = ["django.contrib.sessions"]
SESSION_COOKIE_SAMESITE = None  # want "sessions/cookie-samesite-none"
CSRF_COOKIE_SECURE = False  # want "sessions/cookie-missing-secure"

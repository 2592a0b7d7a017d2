INSTALLED_APPS = ["django.contrib.sessions"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

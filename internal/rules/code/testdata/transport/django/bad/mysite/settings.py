INSTALLED_APPS = ["django.contrib.admin"]
DEBUG = True  # want "transport/debug-mode-in-production"

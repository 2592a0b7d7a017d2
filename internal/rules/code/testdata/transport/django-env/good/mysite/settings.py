import os

INSTALLED_APPS = ["django.contrib.admin"]
if os.environ.get("LOG_LEVEL") == "DEBUG":
    DEBUG = True

INSTALLED_APPS = ["django.contrib.admin"]
DEBUG = True

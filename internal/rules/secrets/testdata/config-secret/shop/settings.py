import os

SECRET_KEY = 'w7#q2!zk9@lm4$rt8%xv3^pb6&nc1*hd5' # want "SECRET_KEY"
DEBUG = False
DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'PASSWORD': 'Rq5Wz2Lk8Xm3', # want "PASSWORD"
        'HOST': os.environ.get('DB_HOST'),
    },
    'replica': {'PASSWORD': os.environ['REPLICA_PASSWORD']},
}

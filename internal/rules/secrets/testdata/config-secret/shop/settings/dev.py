SECRET_KEY = 'django-insecure-8k2#lq9!zw4@rt7$'

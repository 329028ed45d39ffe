"""The WSGI application, for a server such as gunicorn or waitress."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attunement.web.settings")
application = get_wsgi_application()

import os

from django.core.wsgi import get_wsgi_application

from tiendo.core.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()
settle()

import os

from django.core.wsgi import get_wsgi_application

from acupressure.content_type import read_as_utf8

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acupressure.settings")

application = read_as_utf8(get_wsgi_application())

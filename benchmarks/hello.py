"""The baseline of benchmarks/pages.py: a one-file Django "hello world" under the same gunicorn.

gunicorn benchmarks.hello:application --workers 2
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="hello-world-baseline",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request):
    return HttpResponse("Hello, world!")


urlpatterns = [path("", hello)]
application = get_wsgi_application()

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the routing below does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.request_limits import RequestBodyLimit, keep_daphne_from_parsing_forms  # noqa: E402
from config.websocket_urls import websocket_urlpatterns  # noqa: E402

# Served by daphne: Django, not Twisted, parses request bodies (config.request_limits).
keep_daphne_from_parsing_forms()

application = ProtocolTypeRouter(
    {
        "http": RequestBodyLimit(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)

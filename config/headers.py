"""Response headers the browser enforces: the Content-Security-Policy (built here from
settings, applied by django-csp) and the Permissions-Policy."""

from urllib.parse import urlsplit

SELF, NONE = "'self'", "'none'"


def tile_source(tile_url):
    """The CSP source of a map tile URL template: its scheme and host, with Leaflet's `{s}`
    subdomain placeholder as a wildcard (https://{s}.tile.example/{z}/{x}/{y}.png ->
    https://*.tile.example)."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def content_security_policy(*, map_tile_url="", worker_sources=(), report_uri=""):
    """The policy: everything from our own origin only, no inline script, no framing.
    A map tile host and a proof-of-work worker are added by configuration (MAP_TILE_URL,
    CSP_WORKER_SRC), each to the one directive it needs, never by widening the policy."""
    tiles = tile_source(map_tile_url)
    directives = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"] + ([tiles] if tiles else []),
        "font-src": [SELF],
        # 'self' covers the same-origin WebSocket of the live dashboard (CSP level 3).
        "connect-src": [SELF],
        "worker-src": [SELF, *worker_sources],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return {"DIRECTIVES": directives}


# Geolocation for the report form's "use my location", for our own pages only; everything
# else that a complaint site never needs is switched off.
PERMISSIONS_POLICY = ("geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
                      "display-capture=(), serial=(), bluetooth=()")


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

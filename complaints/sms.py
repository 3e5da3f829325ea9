"""The outbound SMS adapter: one HTTP POST to the city's SMS gateway (SMS_GATEWAY_URL, form
fields SMS_GATEWAY_FIELD_TO / SMS_GATEWAY_FIELD_TEXT, the key in SMS_GATEWAY_KEY_HEADER),
used only by the outbox (complaints.outbox) for rows with a `to_phone`. A 2xx answer means
the gateway accepted the message; anything else raises, and the outbox retries."""

import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings


class GatewayError(Exception):
    """The gateway did not accept the message (unreachable, or a non-2xx answer)."""


class Refused(GatewayError):
    """The gateway refused this message itself (400, 422: a bad number): retrying cannot help."""


def send(to, text):
    if not settings.SMS_GATEWAY_URL:
        raise GatewayError("SMS_GATEWAY_URL is not set")
    data = urllib.parse.urlencode({settings.SMS_GATEWAY_FIELD_TO: to,
                                   settings.SMS_GATEWAY_FIELD_TEXT: text}).encode()
    request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=data, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        settings.SMS_GATEWAY_KEY_HEADER: settings.SMS_GATEWAY_KEY})
    try:
        # The operator's URL from settings, never one from a message.
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:  # noqa: S310
            response.read(4096)
    except urllib.error.HTTPError as exc:
        # The gateway's answer may quote the number: only the status is kept.
        kind = Refused if exc.code in (400, 422) else GatewayError
        raise kind(f"gateway answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise GatewayError(f"gateway unreachable: {type(exc).__name__}") from None

from django.core.cache import cache
from django.test import RequestFactory

from complaints.ratelimit import Limit, client_ip


def test_limit_allows_up_to_count_then_says_how_long_to_wait():
    cache.clear()
    limit = Limit("test", 3, 60)
    assert [limit.hit("1.2.3.4", now=120.0) for _ in range(3)] == [0, 0, 0]
    assert limit.hit("1.2.3.4", now=130.0) == 50
    assert limit.hit("5.6.7.8", now=130.0) == 0  # another client has its own budget
    assert limit.hit("1.2.3.4", now=181.0) == 0  # a new window


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_ip(request) == "1.2.3.4"  # the right-most hop the proxy saw, not a spoofed one

"""Every URL pattern (the URL resolver walked, path parameters filled with real demo
objects of the stage's database) requested over HTTPS anonymously and as every role: no
answer is a server error, every HTML page carries the security headers, and every static
asset the pages reference is served under a hashed name, compressed, cached for a year."""

import re
from urllib.parse import urljoin

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import ROLES

FACTS = """
import json
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from complaints.models import Attachment, Complaint
from routing.models import Category
published = Complaint.objects.published().order_by("pk").first()
unit_case = Complaint.objects.filter(responsible_unit__code="DPU-JALAN", category__sensitive=False).order_by("pk").first()
sensitive = Complaint.objects.filter(category__sensitive=True).order_by("pk").first()
attachment = Attachment.objects.order_by("pk").first()
objects = {f"{m._meta.app_label}_{m._meta.model_name}": m.objects.order_by("pk").values_list("pk", flat=True).first()
           for m in admin.site._registry}
print(json.dumps({
    "published": published.tracking_code, "unit_case": unit_case.tracking_code, "sensitive": sensitive.tracking_code,
    "attachment": [attachment.complaint.tracking_code, attachment.pk] if attachment else None,
    "category": Category.objects.filter(sensitive=False).order_by("code").first().code,
    "objects": {k: str(v) for k, v in objects.items() if v is not None},
    "content_type": ContentType.objects.get_for_model(Complaint).pk,
}))
"""

SECURITY_HEADERS = ("Content-Security-Policy", "Strict-Transport-Security", "Referrer-Policy",
                    "Permissions-Policy", "X-Content-Type-Options", "X-Frame-Options")
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".txt", ".map", ".html")


def patterns():
    """(name, group names, route text) of every URL pattern; unnamed ones have name None."""
    found = []

    def walk(entries, namespace, groups, route):
        for entry in entries:
            here = groups | set(entry.pattern.regex.groupindex)
            text = route + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns, here, text)
            elif isinstance(entry, URLPattern):
                found.append((f"{namespace}{entry.name}" if entry.name else None, sorted(here), text))

    walk(get_resolver().url_patterns, "", set(), "")
    return found


def fill_route(route, values):
    """A path from a route's text, for patterns without a name (reverse() needs one)."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def paths_for(name, groups, route, facts):
    """The paths to request for one pattern: every parameter filled with a real object."""
    codes = [facts["published"]]
    if route.startswith("staff/"):
        codes = [facts["unit_case"], facts["sensitive"]]
    if name == "staff:attachment" and facts["attachment"]:
        codes = [facts["attachment"][0]]
    if name == "dashboard:unit":
        codes = ["DPU-JALAN"]
    model = "_".join(route.split("/")[1:3]) if route.startswith("admin/") else ""
    base = {
        "action": "start", "key": "0" * 32, "purpose": "track", "uidb64": "MQ", "token": "x-y",
        "decision": "approve",
        "fmt": "json", "service_code": facts["category"], "service_request_id": facts["published"],
        "app_label": "complaints", "content_type_id": str(facts["content_type"]), "url": "no-such-page/",
        "object_id": facts["objects"].get(model, "1"), "id": facts["objects"].get(model, "1"),
        "pk": str(facts["attachment"][1]) if facts["attachment"] else "1",
    }
    out = []
    for code in codes if "code" in groups else [None]:
        values = {group: (code if group == "code" else base[group]) for group in groups}
        out.append(reverse(name, kwargs=values) if name else fill_route(route, values))
    return out


@pytest.fixture(scope="module")
def facts(stage):
    return stage.shell(FACTS)


@pytest.fixture(scope="module")
def crawl(stage, sessions, facts):
    """Every path as every role: {(role, path): response}."""
    paths = sorted({path for name, groups, route in patterns() for path in paths_for(name, groups, route, facts)})
    assert len(paths) > 80
    results = {}
    for role in ROLES:
        for path in paths:
            results[(role, path)] = sessions[role].get(stage.url + path, allow_redirects=False, timeout=60)
    return results


def test_no_url_answers_a_server_error_for_any_role(crawl):
    errors = sorted(f"{role} {path} {r.status_code}" for (role, path), r in crawl.items() if r.status_code >= 500)
    assert errors == []
    # The crawl reached real pages, not only redirects to the sign-in page.
    for role in ROLES:
        assert sum(1 for (who, _), r in crawl.items() if who == role and r.status_code == 200) >= 10, role
    assert crawl[("privacy", "/staff/oversight/")].status_code == 200
    assert crawl[("admin", "/admin/")].status_code == 200
    assert crawl[("anonymous", "/staff/oversight/")].status_code == 302


def html_pages(crawl):
    return {key: r for key, r in crawl.items()
            if r.status_code == 200 and r.headers.get("Content-Type", "").startswith("text/html")}


def test_every_html_page_carries_the_security_headers(crawl):
    pages = html_pages(crawl)
    assert len(pages) > 100
    for (role, path), response in pages.items():
        missing = [h for h in SECURITY_HEADERS if h not in response.headers]
        assert not missing, (role, path, missing)
        csp = response.headers["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "unsafe-inline" not in script_src and "frame-ancestors 'none'" in csp, (role, path)
        assert "max-age=" in response.headers["Strict-Transport-Security"]
        assert "geolocation=(self)" in response.headers["Permissions-Policy"]
        # No inline script: every <script> has a src, or is a JSON data block.
        for tag in re.findall(r"<script\b[^>]*>", response.text):
            assert "src=" in tag or 'type="application/json"' in tag, (role, path, tag)
        assert not re.search(r"\son[a-z]+\s*=", re.sub(r"<script\b.*?</script>", "", response.text, flags=re.S)), \
            (role, path, "inline event handler")


def static_references(crawl):
    refs = set()
    for response in html_pages(crawl).values():
        refs.update(re.findall(r'(?:href|src)="(/static/[^"]+)"', response.text))
    return refs


def test_every_static_asset_is_hashed_compressed_and_cached_for_a_year(stage, crawl, sessions):
    refs = static_references(crawl)
    assert any(ref.endswith(".css") for ref in refs) and any(ref.endswith(".js") for ref in refs)
    session = sessions["anonymous"]
    seen, queue = set(), sorted(refs)
    while queue:
        ref = queue.pop()
        if ref in seen:
            continue
        seen.add(ref)
        assert HASHED.search(ref.split("?")[0]), f"not a hashed name: {ref}"
        response = session.get(stage.url + ref, headers={"Accept-Encoding": "gzip, br"}, timeout=30)
        assert response.status_code == 200, ref
        max_age = int(re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", "max-age=0")).group(1))
        assert max_age >= 365 * 24 * 3600, (ref, response.headers.get("Cache-Control"))
        if ref.endswith(COMPRESSIBLE):
            assert response.headers.get("Content-Encoding") in ("gzip", "br"), ref
        if ref.endswith(".css"):  # assets the stylesheet itself references
            for url in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", response.text):
                if not url.startswith(("data:", "#")):
                    queue.append(urljoin(ref, url))
    assert len(seen) >= 4


def test_plain_http_is_redirected_to_https(stage):
    from .conftest import browser_session

    response = browser_session().get(stage.url.replace("https://", "http://") + "/report/", allow_redirects=False)
    assert response.status_code == 301 and response.headers["Location"] == stage.url + "/report/"


def test_metrics_answer_the_configured_addresses_only(stage):
    from .conftest import browser_session

    local = browser_session().get(stage.url + "/metrics", timeout=30)
    assert local.status_code == 200 and "aduan_outbox_backlog" in local.text
    assert "aduan_sla_sweep_lag_seconds" in local.text
    outside = browser_session().get(stage.url + "/metrics", headers={"X-Forwarded-For": "203.0.113.5"}, timeout=30)
    assert outside.status_code == 404

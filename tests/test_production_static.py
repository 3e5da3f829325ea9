"""Static files the way production serves them: DEBUG off, `collectstatic` into a real
STATIC_ROOT with WhiteNoise's CompressedManifestStaticFilesStorage, then the HTML pages from
a daphne process that reads that manifest (config/settings_test.py switches the manifest off,
so nothing else in the suite would notice a broken one)."""

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.dashboard.live_site import ROOT, LiveSite, environment

# Pages an anonymous visitor can open, with the URL parameters filled in from the live site.
PAGES = (
    "/", "/report/", "/track/", "/track/{code}/", "/complaints/", "/dashboard/",
    "/dashboard/units/DPU-JALAN/", "/accounts/login/", "/accounts/signup/",
    "/accounts/password_reset/", "/admin/login/",
)
# Error answers: the expected status, never a 500 from a missing manifest entry.
ERROR_PAGES = {"/complaints/NOPE-0000/": 404, "/no-such-page/": 404, "/dashboard/units/NOPE/": 404,
               "/track/NOPE-0000/": 404}


def production_env(tmp_path, static_root):
    # DEBUG off and no ADUAN_PLAIN_STATIC: the manifest storage production runs.
    return environment(tmp_path / "live.sqlite3", {"ADUAN_PLAIN_STATIC": "", "DEBUG": "",
                                                   "STATIC_ROOT": str(static_root)})


def no_argument_paths():
    """Every URL of the project that takes no parameter (so new pages are covered too)."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and not p.pattern.regex.groups and "<" not in route:
                found.append("/" + route.lstrip("^").rstrip("$").replace("\\", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production-static")
    static_root = tmp_path / "static"
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT,
                               env=production_env(tmp_path, static_root), capture_output=True, text=True,
                               timeout=600)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    site = LiveSite(tmp_path, extra_env={"ADUAN_PLAIN_STATIC": "", "STATIC_ROOT": str(static_root)})
    yield site, manifest
    site.close()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_collectstatic_with_debug_off_writes_a_manifest_with_hashed_names(production_site):
    _site, manifest = production_site
    for name in ("css/aduan.css", "dashboard/dashboard.js", "vendor/chartjs/chart.umd.min.js",
                 "citizen/report.js", "staff/staff.js"):
        assert re.fullmatch(re.escape(name.rsplit(".", 1)[0]) + r"\.[0-9a-f]{12}\." + name.rsplit(".", 1)[1],
                            manifest[name]), manifest[name]


STATIC_URL = re.compile(r"/static/([^\"'?#) ]+)")


def assert_hashed_assets(path, body, manifest, required=True):
    """The page links static files (when `required`), and only by their hashed names."""
    linked = STATIC_URL.findall(body)
    assert linked or not required, f"{path} links no static file"
    hashed = set(manifest.values())
    assert [name for name in linked if name not in hashed] == [], path


def test_every_anonymous_html_page_renders_with_hashed_assets(production_site):
    site, manifest = production_site
    pages = [p.format(code=site.code) for p in PAGES]
    results = {}
    for path in pages:
        status, body = fetch(site.url() + path)
        results[path] = status
        assert_hashed_assets(path, body, manifest)
    # /track/<code>/ without the key is "not found" by design (same answer as a wrong code).
    expected = {p: 200 for p in pages} | {f"/track/{site.code}/": 404}
    assert results == expected
    for path, status in ERROR_PAGES.items():
        got, body = fetch(site.url() + path)
        assert got == status, path
        assert_hashed_assets(path, body, manifest, required=False)
    dashboard = fetch(site.url() + "/dashboard/")[1]
    for name in ("css/aduan.css", "vendor/chartjs/chart.umd.min.js", "dashboard/dashboard.js"):
        assert "/static/" + manifest[name] in dashboard
    # The hashed files are served (WhiteNoise from STATIC_ROOT).
    for name in ("css/aduan.css", "vendor/chartjs/chart.umd.min.js", "admin/css/base.css"):
        assert fetch(site.url() + "/static/" + manifest[name])[0] == 200


def test_no_page_of_the_project_answers_500_with_the_manifest_storage(production_site):
    site, _manifest = production_site
    statuses = {path: fetch(site.url() + path)[0] for path in no_argument_paths()}
    assert statuses, "no URL found"
    # Sign-in redirects (followed to the login page), method refusals and parameter errors
    # are fine; a server error is not.
    assert {path: s for path, s in statuses.items() if s >= 500} == {}


STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")


def template_static_references():
    roots = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
    found = []
    for root in roots:
        for template in Path(root).rglob("*.html"):
            for name in STATIC_TAG.findall(template.read_text()):
                found.append((str(template.relative_to(ROOT)), name))
    return found


def test_every_static_file_a_template_names_exists():
    from django.contrib.staticfiles import finders

    references = template_static_references()
    assert ("templates/base.html", "css/aduan.css") in references
    missing = [(template, name) for template, name in references if finders.find(name) is None]
    assert missing == []


def test_the_static_reference_check_notices_a_missing_file(tmp_path, monkeypatch):
    # The check above must be able to fail: a template naming a file that is not there.
    from django.contrib.staticfiles import finders

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text("{% load static %}<script src=\"{% static 'js/gone.js' %}\">")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert [(t, n) for t, n in template_static_references() if finders.find(n) is None] == [
        ("templates/x.html", "js/gone.js")]

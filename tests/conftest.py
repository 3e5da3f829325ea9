"""Shared fixtures: a small city (units, categories, SLA policies) and one user per role."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from complaints.lifecycle.filing import file_complaint
from complaints.permissions import ActorRef
from routing.models import Category, Membership, SLAPolicy, Unit


@pytest.fixture
def city(db):
    root = Unit.objects.create(code="PEMKOT", name_id="Pemerintah Kota", name_en="City Government", kind="government")
    works = Unit.objects.create(code="DPU", name_id="Dinas PU", name_en="Public Works", kind="agency", parent=root)
    roads = Unit.objects.create(code="DPU-JALAN", name_id="Bidang Jalan", name_en="Roads", kind="subunit", parent=works)
    health = Unit.objects.create(code="DINKES", name_id="Dinas Kesehatan", name_en="Health", kind="agency", parent=root)
    inspectorate = Unit.objects.create(code="INSPEKTORAT", name_id="Inspektorat", name_en="Inspectorate", kind="oversight", parent=root)
    standard = SLAPolicy.objects.create(code="STANDARD", name_id="Standar", name_en="Standard")
    roads_cat = Category.objects.create(
        code="JALAN-RUSAK", name_id="Jalan rusak", name_en="Damaged road", default_unit=roads,
        sla_policy=standard, resolution_class="standard", location_required=True,
        keywords="jalan,lubang,road",
    )
    clinic_cat = Category.objects.create(
        code="PUSKESMAS", name_id="Layanan puskesmas", name_en="Health centre service",
        default_unit=health, sla_policy=standard, resolution_class="normative",
    )
    bribe_cat = Category.objects.create(
        code="PUNGLI", name_id="Pungutan liar", name_en="Illegal levies", default_unit=inspectorate,
        sla_policy=standard, resolution_class="investigation", sensitive=True,
    )
    return {
        "root": root, "works": works, "roads": roads, "health": health,
        "inspectorate": inspectorate, "policy": standard,
        "roads_cat": roads_cat, "clinic_cat": clinic_cat, "bribe_cat": bribe_cat,
    }


def make_user(username, groups=(), units=()):
    user = User.objects.create_user(username=username, password="pw-" + username, email=f"{username}@staff.example")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    for unit, role in units:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(city):
    return {
        "triage": make_user("triage1", groups=["triage"]),
        "officer_roads": make_user("roads_officer", units=[(city["roads"], "officer")]),
        "officer_roads2": make_user("roads_officer2", units=[(city["roads"], "officer")]),
        "supervisor_works": make_user("works_supervisor", units=[(city["works"], "supervisor")]),
        "officer_health": make_user("health_officer", units=[(city["health"], "officer")]),
        "oversight": make_user("inspector", groups=["oversight"], units=[(city["inspectorate"], "officer")]),
        "privacy": make_user("privacy1", groups=["privacy_officer"]),
        "admin": make_user("admin1", groups=["admin"]),
        "nobody": make_user("citizen_account"),
    }


def as_staff(user):
    return ActorRef.staff(user)


CITIZEN = ActorRef.citizen()
SYSTEM = ActorRef.system()


def publish(complaint, user, title="Lubang di jalan", summary="Ada lubang besar di ruas jalan kota.", **extra):
    """Publish through the explicit publish form's action (routing never publishes)."""
    from complaints.lifecycle.engine import perform

    return perform(complaint, "approve_summary", ActorRef.staff(user), publish=True,
                   public_title=title, public_summary=summary, **extra)


def submit(city, category="roads_cat", **overrides):
    data = {
        "category": city[category], "title": "Jalan berlubang besar",
        "description": "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh.",
        "identity_mode": "named", "reporter_name": "Siti Rahayu",
        "reporter_email": "siti.rahayu@example.com", "reporter_phone": "0812-3456-7890",
        "visibility": "public", "address": "Jl. Merdeka 12", "latitude": "-7.25", "longitude": "110.40",
    }
    data.update(overrides)
    now = data.pop("now", None)
    return file_complaint(data, now=now)


@pytest.fixture
def filed(city):
    return submit(city)


class SignInClient(Client):
    """The test client whose force_login stands for a whole staff sign-in: as it skips the
    password, it also skips the authenticator app, recording in the session a verified
    TOTP device (enrolled on the spot) for users who owe a second factor. The real steps
    are tested in tests/accounts and once end to end in the browser; pass
    `second_factor=False` to sign in with the password step only."""

    def force_login(self, user, backend=None, *, second_factor=True):
        super().force_login(user, backend)
        if second_factor:
            verify_second_factor(self, user)


def verify_second_factor(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import second_factor

    fresh = User.objects.get(pk=user.pk)  # roles are cached on a user object; keep the test's clean
    if not (second_factor.required(fresh) or user_has_device(fresh, confirmed=True)):
        return
    device = TOTPDevice.objects.filter(user=fresh, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=fresh, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client():
    return SignInClient()


@pytest.fixture(autouse=True)
def _unspent_filing_allowance():
    """Every test starts with the loopback address's web-filing allowance unspent: the limit
    counts on the shared cache, which outlives a test, so earlier tests that filed through
    the form (the test client and the browser both come from 127.0.0.1) would otherwise
    decide whether a later one gets "too many reports". Tests of the limit set their own."""
    import time

    from django.core.cache import cache

    from complaints.citizen.services import submission_limit

    limit = submission_limit()
    if limit.count > 0:
        window = int(time.time() // limit.seconds)
        cache.delete_many([f"rl:{limit.scope}:{ip}:{w}" for ip in ("127.0.0.1", "::1")
                           for w in (window, window + 1)])


@pytest.fixture(autouse=True)
def _postgres_marker(request):
    """Tests marked `postgres` need PostgreSQL row locks and several real connections;
    the SQLite test database is one in-memory connection. CI runs them on PostgreSQL."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks, concurrent connections): set DATABASE_URL; CI runs it")


# --- a real browser ------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright. Skips locally when Chromium is missing;
    in CI (CI=true) a missing browser is a failure, not a skip. Module-scoped: Playwright's
    event loop must be gone before tests that use async_to_sync (Channels) run."""
    import os

    if not os.path.exists(CHROMIUM):
        message = (f"needs Chromium at {CHROMIUM} for browser tests: apt-get install chromium "
                   "(.ci/run installs it; with CI=true a missing browser fails instead)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls
    # are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A phone-sized page (360 px wide)."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def box(lat0, lat1, lng0, lng1):
    """A rectangular GeoJSON Polygon (GeoJSON order: longitude, latitude)."""
    ring = [[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def areas(db):
    """Two kecamatan: Utara (kelurahan Alpha west, Beta east) and Selatan (kelurahan Gamma)."""
    from areas.models import Area

    def make(code, name, level, parent=None, boundary=None):
        area = Area(code=code, name=name, level=level, parent=parent)
        area.set_boundary(boundary)
        area.save()
        return area

    utara = make("10", "Utara", "kecamatan", boundary=box(-7.20, -7.10, 110.0, 110.2))
    selatan = make("20", "Selatan", "kecamatan", boundary=box(-7.30, -7.20, 110.0, 110.2))
    return {
        "utara": utara, "selatan": selatan,
        "alpha": make("10.1", "Alpha", "kelurahan", utara, box(-7.20, -7.10, 110.0, 110.1)),
        "beta": make("10.2", "Beta", "kelurahan", utara, box(-7.20, -7.10, 110.1, 110.2)),
        "gamma": make("20.1", "Gamma", "desa", selatan, box(-7.30, -7.20, 110.0, 110.2)),
    }

"""A real site for end-to-end live tests: a file-based SQLite database shared by daphne
processes serving the real application. Another client makes transitions the way staff do:
it logs in through the login form and submits the staff complaint page's action forms
(CSRF token, expected state and version included).

`python -m tests.dashboard.live_site setup` migrates the database named by DATABASE_URL,
loads a small city with one complaint and prints its tracking code.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(db_path, extra=None):
    env = dict(os.environ)
    env.update(DATABASE_URL=f"sqlite:///{db_path}", ADUAN_ALLOW_DEV_KEYS="1", ADUAN_PLAIN_STATIC="1",
               DEBUG="", ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_SETTINGS_MODULE="config.settings",
               PYTHONPATH=str(ROOT))
    env.update(extra or {})
    return env


class LiveSite:
    """Set up the database, start `servers` daphne processes; stop them on close()."""

    # Who performs each action in the test city (setup() creates them).
    ACTORS = {"triage": ("triage1", "pw-triage-1")}
    DEFAULT_ACTOR = ("roads1", "pw-roads-1")

    def __init__(self, tmp_path, servers=1, extra_env=None):
        self.db = tmp_path / "live.sqlite3"
        self.env = environment(self.db, extra_env)
        done = subprocess.run([sys.executable, "-m", "tests.dashboard.live_site", "setup"], cwd=ROOT,
                              env=self.env, check=True, capture_output=True, text=True)
        self.code = done.stdout.split()[-1]  # the tracking code of the one complaint
        self.processes, self.ports, self.sessions = [], [], {}
        self.logs = []
        for _ in range(servers):
            port = free_port()
            log = open(tmp_path / f"daphne-{port}.log", "wb")
            self.logs.append(tmp_path / f"daphne-{port}.log")
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT))
            self.ports.append(port)
        for port in self.ports:
            self._wait(port)

    def _wait(self, port):
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/dashboard/api/summary.json", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"daphne on port {port} did not start")

    def log_text(self):
        """What the daphne processes have logged so far."""
        return "".join(path.read_text(errors="replace") for path in self.logs)

    def url(self, index=0):
        return f"http://127.0.0.1:{self.ports[index]}"

    def staff(self, action, index=0):
        """The logged-in session of the staff member who performs `action` on server `index`."""
        username, password = self.ACTORS.get(action, self.DEFAULT_ACTOR)
        key = (index, username)
        if key not in self.sessions:
            self.sessions[key] = StaffSession(self.url(index), username, password)
        return self.sessions[key]

    def transition(self, action, index=0, before_post=None, **fields):
        """Staff perform `action` on the complaint through server `index`'s staff pages;
        returns {"state": the complaint's state afterwards}. `before_post` is called just
        before the action form is submitted (benchmarks start their clock there)."""
        return self.staff(action, index).act(self.code, action, before_post, **fields)

    def close(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class StaffSession:
    """A staff member's cookie session on one server, through the same forms a browser posts."""

    def __init__(self, base, username, password):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login = self._get("/accounts/login/")
        after = self._post("/accounts/login/", {"username": username, "password": password,
                                                "csrfmiddlewaretoken": _hidden(login, "csrfmiddlewaretoken")})
        if 'name="password"' in after:
            raise RuntimeError(f"could not log in as {username}")

    def act(self, code, action, before_post=None, **fields):
        page = self._get(f"/staff/complaints/{code}/")
        form = {"csrfmiddlewaretoken": _hidden(page, "csrfmiddlewaretoken"),
                "expected_state": _hidden(page, "expected_state"),
                "expected_version": _hidden(page, "expected_version"), **fields}
        if before_post:
            before_post()
        self._post(f"/staff/complaints/{code}/act/{action}/", form)
        return {"state": _hidden(self._get(f"/staff/complaints/{code}/"), "expected_state")}

    def _get(self, path):
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.read().decode()

    def _post(self, path, form):
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(form).encode(),
                                         headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=20) as response:  # follows the redirect (303)
            return response.read().decode()


def _hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    if match is None:
        raise RuntimeError(f"no field {name} on the page")
    return match.group(1)


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User

    from complaints.lifecycle.filing import file_complaint
    from routing.models import Category, Membership, SLAPolicy, Unit

    root = Unit.objects.create(code="PEMKOT", name_id="Pemerintah Kota", name_en="City Government", kind="government")
    roads = Unit.objects.create(code="DPU-JALAN", name_id="Bidang Jalan", name_en="Roads", kind="subunit", parent=root)
    Unit.objects.create(code="INSPEKTORAT", name_id="Inspektorat", name_en="Inspectorate", kind="oversight", parent=root)
    policy = SLAPolicy.objects.create(code="STANDARD", name_id="Standar", name_en="Standard")
    category = Category.objects.create(code="JALAN-RUSAK", name_id="Jalan rusak", name_en="Damaged road",
                                       default_unit=roads, sla_policy=policy)
    triage = User.objects.create_user("triage1", password="pw-triage-1")
    triage.groups.add(Group.objects.get_or_create(name="triage")[0])
    officer = User.objects.create_user("roads1", password="pw-roads-1")
    Membership.objects.create(user=officer, unit=roads, role="officer")
    filed = file_complaint({"category": category, "title": "Jalan berlubang",
                            "description": "Lubang besar di Jl. Merdeka sejak dua minggu, berbahaya.",
                            "identity_mode": "named", "reporter_name": "Siti Rahayu",
                            "reporter_email": "siti@example.com", "visibility": "public",
                            "address": "Jl. Merdeka 1"})
    print(filed.complaint.tracking_code)


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        setup()

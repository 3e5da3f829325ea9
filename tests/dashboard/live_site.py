"""A real site for end-to-end live tests: a file-based SQLite database shared by daphne
processes, and a test-only HTTP hook through which another client makes a transition
inside a server process (staff pages are not part of the dashboard).

`python -m tests.dashboard.live_site setup` migrates the database named by DATABASE_URL
and loads a small city with one complaint; `live_asgi` is what daphne serves.
"""

import json
import os
import socket
import subprocess
import sys
import time
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

    def __init__(self, tmp_path, servers=1, extra_env=None):
        self.db = tmp_path / "live.sqlite3"
        self.env = environment(self.db, extra_env)
        subprocess.run([sys.executable, "-m", "tests.dashboard.live_site", "setup"], cwd=ROOT,
                       env=self.env, check=True, capture_output=True)
        self.processes, self.ports = [], []
        for _ in range(servers):
            port = free_port()
            log = open(tmp_path / f"daphne-{port}.log", "wb")
            self.processes.append(subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                 "tests.dashboard.live_site:application"],
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

    def url(self, index=0):
        return f"http://127.0.0.1:{self.ports[index]}"

    def transition(self, action, index=0, **args):
        """POST to the test hook of server `index`: the transition runs in that process."""
        body = json.dumps({"action": action, "args": args}).encode()
        request = urllib.request.Request(self.url(index) + "/__test__/transition", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as response:
            return json.loads(response.read())

    def close(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User

    from complaints.filing import file_complaint
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
    file_complaint({"category": category, "title": "Jalan berlubang",
                    "description": "Lubang besar di Jl. Merdeka sejak dua minggu, berbahaya.",
                    "identity_mode": "named", "reporter_name": "Siti Rahayu",
                    "reporter_email": "siti@example.com", "visibility": "public",
                    "address": "Jl. Merdeka 1"})


def _hook():
    """Test-only: perform a transition on the newest complaint in this server process."""
    from django.contrib.auth.models import User

    from complaints.models import Complaint
    from complaints.permissions import ActorRef
    from complaints.transitions import perform
    from routing.models import Unit

    def run(action, args):
        complaint = Complaint.objects.order_by("-pk").first()
        actor = ActorRef.staff(User.objects.get(username="triage1" if action == "triage" else "roads1"))
        if "unit" in args:
            args["unit"] = Unit.objects.get(code=args["unit"])
        c = perform(complaint, action, actor, **args)
        return {"state": c.state}

    return run


def _make_application():
    from asgiref.sync import sync_to_async

    from config.asgi import application as site

    run = _hook()

    async def application(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/__test__/transition":
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            payload = json.loads(body)
            result = await sync_to_async(run)(payload["action"], payload.get("args", {}))
            data = json.dumps(result).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": data})
            return
        await site(scope, receive, send)

    return application


_application = []


def __getattr__(name):
    # Built on first use (by daphne), so importing this module in tests starts nothing.
    if name == "application":
        if not _application:
            _application.append(_make_application())
        return _application[0]
    raise AttributeError(name)


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        setup()

"""The production stage's tests run against the processes .ci/production starts (nginx
with TLS in front of two daphne processes and a worker, PostgreSQL and Redis of the stage's
own), over HTTPS, never through Django's test client. Without the stage they skip."""

import base64
import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGE_URL = os.environ.get("ADUAN_STAGE_URL", "")
DEMO_PASSWORD = "aduan-demo"
ROLES = ["anonymous", "citizen", "triage", "officer", "supervisor", "oversight", "privacy", "admin"]


@dataclass
class Stage:
    url: str
    dir: Path
    env: dict
    pgbin: str
    pg_port: str
    redis_port: str
    venv_bin: str
    sessions: dict = field(default_factory=dict)

    def manage(self, *args, check=True, extra_env=None, timeout=300):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ADUAN_"))}
        env.update(self.env)
        env.update(extra_env or {})
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=check,
                              capture_output=True, text=True, timeout=timeout)

    def shell(self, code):
        """Run Python inside the stage's Django (its database, its keys); returns the JSON the
        code prints last."""
        done = self.manage("shell", "-c", code)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def logs(self):
        return {path.name: path.read_text(errors="replace") for path in sorted((self.dir / "log").glob("*.log"))}

    def pg_ctl(self, *args):
        # The server's output goes to its log file: a server started with our pipe as its
        # stdout would keep the pipe open, and this call would wait for ever.
        subprocess.run(["runuser", "-u", "postgres", "--", f"{self.pgbin}/pg_ctl", "-D", str(self.dir / "pg/data"),
                        "-l", str(self.dir / "pg/server.log"), *args],
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)

    def redis_cli(self, *args, check=True):
        return subprocess.run(["redis-cli", "-p", self.redis_port, *args], check=check, capture_output=True,
                              text=True, timeout=30)

    def start_redis(self):
        subprocess.run(["redis-server", "--port", self.redis_port, "--bind", "127.0.0.1", "--daemonize", "yes",
                        "--save", "", "--appendonly", "no", "--dir", str(self.dir),
                        "--logfile", str(self.dir / "log/redis.log"), "--pidfile", str(self.dir / "redis.pid")],
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=30)
        for _ in range(50):
            if self.redis_cli("ping", check=False).stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("redis did not come back")

    def process_alive(self, name):
        pid = int((self.dir / f"{name}.pid").read_text())
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True


def read_env(path):
    env = {}
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


@pytest.fixture(scope="session")
def stage():
    if not STAGE_URL:
        pytest.skip("runs against the production stage: .ci/production starts it (CI runs it)")
    directory = Path(os.environ["ADUAN_STAGE_DIR"])
    return Stage(url=STAGE_URL, dir=directory, env=read_env(directory / "aduan.env"),
                 pgbin=os.environ["ADUAN_STAGE_PGBIN"], pg_port=os.environ["ADUAN_STAGE_PG_PORT"],
                 redis_port=os.environ["ADUAN_STAGE_REDIS_PORT"], venv_bin=os.environ["ADUAN_STAGE_VENV_BIN"])


def browser_session():
    import requests

    session = requests.Session()
    session.trust_env = False  # no proxy, and no REQUESTS_CA_BUNDLE overriding `verify`
    # Trust the stage's self-signed certificate, and nothing else: TLS is checked for real.
    session.verify = os.path.join(os.environ["ADUAN_STAGE_DIR"], "tls", "fullchain.pem")
    session.headers["User-Agent"] = "aduan-stage-crawler/1"
    return session


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no field {name} on the page"
    return match.group(1)


def post_form(session, url, page_url, data):
    page = session.get(page_url)
    assert page.status_code == 200, f"{page_url} answered {page.status_code}"
    form = {"csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"), **data}
    return session.post(url, data=form, headers={"Referer": page_url}, allow_redirects=False)


def current_totp():
    from django_otp.oath import totp

    from complaints.management.demo_data import DEMO_TOTP_SECRET

    return f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"


def sign_in(stage, role):
    """A signed-in HTTPS session of the demo account `role`, through the login page and,
    where the role needs it, the second-factor page with the demo authenticator's code."""
    session = browser_session()
    if role == "anonymous":
        return session
    login = f"{stage.url}/accounts/login/"
    response = post_form(session, login, login, {"username": role, "password": DEMO_PASSWORD})
    assert response.status_code == 302, (role, response.status_code)
    if "/accounts/two-factor/" in response.headers["Location"]:
        verify = f"{stage.url}/accounts/two-factor/"
        response = post_form(session, verify, verify, {"code": current_totp()})
        if response.status_code == 400:  # this code was used in the last 30 s (an earlier run)
            time.sleep(31 - time.time() % 30)
            response = post_form(session, verify, verify, {"code": current_totp()})
        assert response.status_code == 302, (role, response.status_code, response.text[-500:])
    return session


@pytest.fixture(scope="session")
def sessions(stage):
    """One signed-in session per role for the whole stage run (a TOTP code works once)."""
    return {role: sign_in(stage, role) for role in ROLES}


def report_form(category, **overrides):
    data = {
        "category": category, "kind": "complaint", "title": "Pungutan liar di kantor kelurahan",
        "description": "Petugas meminta uang tambahan untuk surat pengantar, tanpa kuitansi resmi.",
        "address": "Kantor Kelurahan Sukamaju", "latitude": "", "longitude": "",
        "identity_mode": "confidential", "reporter_name": "Ratna Kusumawati",
        "reporter_email": "ratna.k@example.org", "reporter_phone": "0813-5555-0101",
        "visibility": "private", "website": "", "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def file_report(stage, data, client_ip):
    """File through /report/ as a citizen behind the proxy at `client_ip` (the limiter counts
    per client address); returns the response of the POST (not followed)."""
    session = browser_session()
    session.headers["X-Forwarded-For"] = client_ip
    return post_form(session, f"{stage.url}/report/", f"{stage.url}/report/", data), session

"""Logs of a run that files confidential and anonymous complaints and opens their private
links (nginx's access log, the daphne processes', the worker's) hold none of the reporters'
names, e-mail addresses, phone numbers or tokens; the application's lines are JSON with a
request id."""

import json
import re
import time
import uuid

import pytest

from .conftest import browser_session, file_report, post_form, report_form

STATUS = """
import json
from complaints.models import Notification
print(json.dumps(sorted(set(Notification.objects.values_list("status", flat=True)))))
"""


@pytest.fixture(scope="module")
def filed(stage):
    """Two confidential reports and an anonymous one, each with identity values nowhere
    else in the world; their private links opened as the citizen would."""
    marker = uuid.uuid4().hex[:6]
    people = []
    for n, mode in enumerate(["confidential", "confidential", "anonymous"]):
        identity = {"reporter_name": f"Ratna Kusumawati{marker}{n}", "reporter_email": f"ratna.{marker}{n}@example.org",
                    "reporter_phone": f"0813-{int(marker, 16) % 10000:04d}-4{n}21"}
        if mode == "anonymous":
            identity = {"reporter_name": "", "reporter_phone": "", "reporter_email": identity["reporter_email"]}
        response, session = file_report(stage, report_form("PUNGLI", identity_mode=mode, **identity),
                                        client_ip=f"198.51.100.{10 + n}")
        assert response.status_code in (302, 303), response.text[-800:]
        done = session.get(stage.url + response.headers["Location"])
        secret, path = open_private_page(stage, done.text)
        people.append({**identity, "token": secret, "path": path})
    # The worker sends the receipts (and erases the anonymous address) meanwhile.
    for _ in range(100):
        if "pending" not in stage.shell(STATUS):
            break
        time.sleep(0.3)
    return people


def open_private_page(stage, receipt):
    """Open the citizen's private page with what the receipt page gave: a private link
    (its secret in the query string) or a tracking code and secret key for the "Track a
    report" form. Returns (the secret, the private page's path)."""
    link = re.search(r'"(?:https?://[^/"]+)?(/track/[^"?]+/\?[^"]+)"', receipt)
    session = browser_session()
    if link:
        link = link.group(1).replace("&amp;", "&")
        assert session.get(stage.url + link).status_code == 200  # exchanged for a session
        return link.split("=", 1)[1], link.split("?")[0]
    code = re.search(r'id="tracking-code">([^<]+)<', receipt).group(1)
    secret = re.search(r'id="secret-key"[^>]*value="([^"]+)"', receipt).group(1)
    response = post_form(session, f"{stage.url}/track/", f"{stage.url}/track/", {"code": code, "token": secret})
    assert response.status_code in (302, 303) and session.get(stage.url + response.headers["Location"]).status_code == 200
    return secret, f"/track/{code}/"


def forms_of(value):
    """A value and the shapes it takes in text: a phone number without separators, too."""
    forms = {value}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9:
        forms |= {digits, digits[1:], "62" + digits[1:]}
    return forms


def test_no_identity_value_or_token_reaches_any_log(stage, filed):
    logs = stage.logs()
    assert {"aduan.access.log", "daphne-8001.log", "daphne-8002.log", "worker.log"} <= set(logs)
    for person in filed:
        for key in ("reporter_name", "reporter_email", "reporter_phone", "token"):
            if not person[key]:
                continue
            for form in forms_of(person[key]):
                for name, text in logs.items():
                    assert form not in text, f"{key} of a reporter in {name}"
    # The private pages were requested, and logged without any query string.
    access = [json.loads(line) for line in logs["aduan.access.log"].splitlines() if line.strip()]
    paths = {entry["path"] for entry in access}
    for person in filed:
        assert person["path"] in paths
    assert not any("?" in entry["path"] for entry in access)


def test_application_log_lines_are_json_with_a_request_id(stage, filed):
    entries = []
    for name in ("daphne-8001.log", "daphne-8002.log"):
        for line in stage.logs()[name].splitlines():
            if line.startswith("{"):
                entries.append(json.loads(line))
    requests_logged = [e for e in entries if e["logger"] == "aduan.access"]
    assert len(requests_logged) >= 9  # at least the filings above: form, post, receipt, link
    assert all(len(e["request_id"]) >= 8 and "?" not in e["path"] for e in requests_logged)
    # The request id is nginx's: the proxy's access log and the application's lines meet on it.
    nginx_ids = {json.loads(line)["request_id"] for line in stage.logs()["aduan.access.log"].splitlines() if line}
    app_ids = {e["request_id"] for e in requests_logged}
    assert len(nginx_ids & app_ids) >= 0.9 * len(app_ids)

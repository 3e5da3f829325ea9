"""The screenshots of docs/staff.md: the unit inbox, the triage queue, the summary queue and
the complaint page at 1366 px, taken in a real browser from a running server with the demo
data (the same way bench/complaint_page_height.py measures the complaint page).

    export DATABASE_URL=sqlite:////tmp/aduan-demo.sqlite3 DEBUG=1
    python manage.py migrate && python manage.py seed_demo
    python manage.py runserver 127.0.0.1:8714 &
    python docs/staff_screenshots.py --url http://127.0.0.1:8714 [--lang id]

Writes docs/img/staff-<page>-1366.png.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ADUAN_ALLOW_DEV_KEYS", "1")

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from complaints.management.commands.seed_demo import DEMO_PASSWORD  # noqa: E402
from complaints.models import Complaint  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# (file name, demo user, path): the pages the issue asks for.
PAGES = [
    ("inbox", "officer", "/staff/inbox/"),
    ("triage", "triage", "/staff/triage/"),
    ("summaries", "triage", "/staff/triage/summaries/"),
    ("complaint", "officer", "/staff/complaints/{code}/"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8714")
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    args = parser.parse_args()
    # An in-progress complaint of the officer's unit, picked before Playwright's event loop starts.
    code = (Complaint.objects.filter(state="in_progress", responsible_unit__code="DPU-JALAN")
            .order_by("tracking_code").values_list("tracking_code", flat=True).first())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        signed_in = None
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for name, user, path in PAGES:
            if user != signed_in:
                page.context.clear_cookies()
                page.goto(f"{args.url}/accounts/login/?next=/staff/")
                page.fill("#id_username", user)
                page.fill("#id_password", DEMO_PASSWORD)
                page.click("form.form button[type=submit]")
                page.wait_for_load_state()
                page.select_option("#language-select", args.lang)
                page.click("form.lang button[type=submit]")
                page.wait_for_load_state()
                signed_in = user
            page.goto(args.url + path.format(code=code))
            page.wait_for_load_state("networkidle")
            out = ROOT / "docs" / "img" / f"staff-{name}-1366.png"
            page.screenshot(path=str(out), full_page=False)
            print(out.relative_to(ROOT), page.evaluate("document.body.scrollHeight"), "px tall")
        browser.close()


if __name__ == "__main__":
    main()

"""Height of the staff complaint page at 1366 px (document.body.scrollHeight, JavaScript
on, no action opened) for the demo users, on a running server with the demo data. The
complaints are picked from the database the server uses (first tracking code of each
state the user handles), so two runs against two versions of the code measure the same
pages.

    export DATABASE_URL=sqlite:////tmp/aduan-demo.sqlite3 DEBUG=1
    python manage.py migrate && python manage.py seed_demo
    python manage.py runserver 127.0.0.1:8714 &
    python bench/complaint_page_height.py --url http://127.0.0.1:8714

Prints user, state, tracking code and height in CSS pixels, then the largest.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ADUAN_ALLOW_DEV_KEYS", "1")

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from complaints.management.commands.seed_demo import DEMO_PASSWORD  # noqa: E402
from complaints.models import Complaint  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# (user, states, responsible unit or None): what each demo user works on.
PAGES = [
    ("triage", ("submitted",), None),
    ("triage", ("triaged",), None),
    ("officer", ("triaged",), "DPU-JALAN"),
    ("officer", ("in_progress",), "DPU-JALAN"),
    ("officer", ("resolved",), "DPU-JALAN"),
    ("officer", ("closed",), "DPU-JALAN"),
]


def pick(states, unit):
    rows = Complaint.objects.filter(state__in=states)
    if unit:
        rows = rows.filter(responsible_unit__code=unit)
    return rows.order_by("tracking_code").values_list("tracking_code", flat=True).first()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8714")
    args = parser.parse_args()
    # Picked before Playwright starts: its event loop makes the ORM refuse to run.
    codes = [pick(states, unit) for _user, states, unit in PAGES]
    heights = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for user in dict.fromkeys(user for user, _states, _unit in PAGES):
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
            page = context.new_page()
            page.goto(f"{args.url}/accounts/login/?next=/staff/")
            page.fill("#id_username", user)
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("form.form button[type=submit]")
            page.wait_for_load_state()
            for (who, states, _unit), code in zip(PAGES, codes):
                if who != user:
                    continue
                if code is None:
                    print(f"{user:10} {states[0]:12} (no complaint)")
                    continue
                response = page.goto(f"{args.url}/staff/complaints/{code}/")
                page.wait_for_load_state("load")
                height = page.evaluate("document.body.scrollHeight")
                heights.append(height)
                print(f"{user:10} {states[0]:12} {code:16} {response.status} {height:6d} px")
            context.close()
        browser.close()
    if heights:
        print(f"largest: {max(heights)} px")


if __name__ == "__main__":
    main()

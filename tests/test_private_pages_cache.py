"""Pages with personal data or secrets are never kept by a browser or proxy cache
(Cache-Control: no-store, private); public pages stay cacheable."""

import pytest
from django.urls import reverse

from .citizen.conftest import form_data

STAFF_PAGES = [
    ("triage", "/staff/triage/"), ("triage", "/staff/complaints/{code}/"),
    ("officer_roads", "/staff/inbox/"), ("oversight", "/staff/oversight/"),
    ("oversight", "/staff/complaints/{code}/audit/"), ("supervisor_works", "/staff/dashboard/performance/"),
    ("superuser", "/admin/"), ("superuser", "/admin/complaints/complaint/"),
    ("nobody", "/my/complaints/"), ("nobody", "/accounts/password_change/"),
]
ANONYMOUS_PRIVATE = ["/report/", "/track/", "/track/{code}/", "/accounts/login/", "/accounts/signup/",
                     "/accounts/password_reset/", "/admin/login/", "/staff/"]
PUBLIC = ["/", "/complaints/", "/dashboard/", "/dashboard/api/summary.json", "/open311/v2/services.json"]


def assert_not_stored(response, path):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, (path, response.get("Cache-Control"))


@pytest.mark.parametrize("role, path", STAFF_PAGES)
def test_staff_and_account_pages_are_never_stored(client, people, filed, role, path):
    from django.contrib.auth.models import User

    user = people.get(role) or User.objects.create_superuser("root", "root@staff.example", "pw-root")
    client.force_login(user)
    path = path.format(code=filed.complaint.tracking_code)
    response = client.get(path)
    assert response.status_code == 200, path
    assert_not_stored(response, path)


@pytest.mark.parametrize("path", ANONYMOUS_PRIVATE)
def test_private_citizen_pages_are_never_stored(client, filed, path):
    response = client.get(path.format(code=filed.complaint.tracking_code))
    assert_not_stored(response, path)


def test_the_tracking_page_and_the_confirmation_of_a_filed_report_are_never_stored(client, city, tmp_path,
                                                                                    settings):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(city)
    filed = client.post("/report/", data)
    assert_not_stored(filed, "POST /report/")
    done = client.get(filed["Location"])
    assert done.status_code == 200
    assert_not_stored(done, "/report/done/")
    code = done.context["complaint"].tracking_code
    page = client.get(reverse("complaints:track_page", args=[code]))
    assert page.status_code == 200
    assert_not_stored(page, "/track/<code>/")


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_stay_cacheable(client, city, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", ""), path

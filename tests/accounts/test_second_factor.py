"""The second factor: who must have one, enrolment with a QR code and recovery codes, and
that nothing under /staff/ or /admin/ opens before it is proved."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent

from ..conftest import submit
from .helpers import current_code, enrol, password_step

Kind = SecurityEvent.Kind


def every_guarded_url(code):
    """Every URL pattern under /staff/ and /admin/ with its parameters filled from a real
    complaint (the URL resolver walked, so a new page is covered without editing this)."""
    fill = {"code": code, "action": "start", "pk": "1", "object_id": "1", "app_label": "complaints",
            "content_type_id": "1"}
    urls = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                urls.append(route)

    walk(get_resolver().url_patterns, "/")
    import re

    out = []
    for route in urls:
        if not (route.startswith("/staff/") or route.startswith("/admin/")) or route.startswith("/admin/login"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: fill.get(m.group(1), "1"), route)
        if "^" in path or "(?P" in path or "$" in path:  # admin regex patterns
            path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: fill.get(m.group(1), "1"), path)
            path = path.replace("^", "").replace("$", "").replace("\\", "")
        out.append(path)
    return sorted(set(out))


@pytest.mark.django_db
def test_privacy_officer_with_the_right_password_and_no_second_factor_opens_no_staff_page(city, people):
    filed = submit(city, identity_mode="confidential")
    client = Client()
    response = password_step(client, people["privacy"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:enrol"))
    urls = every_guarded_url(filed.complaint.tracking_code)
    assert len(urls) > 40 and "/staff/" in urls and "/admin/" in urls
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:enrol")), url
    # The enrolment page itself opens: QR code, key to type, a code to confirm.
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200 and b"<svg" in page.content
    assert TOTPDevice.objects.filter(user=people["privacy"], confirmed=False).count() == 1

    device, codes = enrol(client, people["privacy"])
    assert device.confirmed and len(codes) == 10
    assert client.get("/staff/oversight/").status_code == 200
    assert client.get(f"/staff/complaints/{filed.complaint.tracking_code}/").status_code == 200
    assert SecurityEvent.objects.filter(user=people["privacy"], kind=Kind.ENROLLED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["oversight", "admin", "supervisor_works"])
def test_roles_that_must_enrol_are_sent_to_enrolment(city, people, role):
    client = Client()
    response = password_step(client, people[role])
    assert response["Location"].startswith(reverse("accounts:enrol"))
    assert client.get("/staff/").status_code == 302


@pytest.mark.django_db
def test_other_staff_may_work_without_a_second_factor_and_land_on_staff(city, people):
    client = Client()
    response = password_step(client, people["triage"])
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/", follow=True).status_code == 200


@pytest.mark.django_db
def test_staff_who_enrolled_voluntarily_must_use_it(city, people):
    client = Client()
    password_step(client, people["triage"])
    enrol(client, people["triage"])
    client.post(reverse("logout"))
    response = password_step(client, people["triage"])
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client.get("/staff/triage/")["Location"].startswith(reverse("accounts:verify"))


@pytest.fixture
def enrolled_privacy(city, people):
    """The privacy officer with an enrolled authenticator and recovery codes."""
    client = Client()
    password_step(client, people["privacy"])
    device, codes = enrol(client, people["privacy"])
    client.post(reverse("logout"))
    return device, codes


def signed_in_with_password(user, ip="127.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    response = password_step(client, user, ip=ip)
    assert response["Location"].startswith(reverse("accounts:verify"))
    return client


@pytest.mark.django_db
def test_the_right_code_opens_staff_pages(people, enrolled_privacy):
    device, _codes = enrolled_privacy
    client = signed_in_with_password(people["privacy"])
    response = client.post(reverse("accounts:verify"), {"code": current_code(device, offset_steps=1)})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/oversight/").status_code == 200


@pytest.mark.django_db
def test_wrong_codes_are_refused_recorded_and_change_nothing(people, enrolled_privacy):
    device, codes = enrolled_privacy
    client = signed_in_with_password(people["privacy"])
    tokens_before = StaticToken.objects.count()
    for wrong in ("000000", "12345", "abcdefgh", "x" * 40):
        response = client.post(reverse("accounts:verify"), {"code": wrong})
        assert response.status_code in (400, 429)
        assert client.get("/staff/oversight/")["Location"].startswith(reverse("accounts:verify"))
    assert SecurityEvent.objects.filter(user=people["privacy"], kind=Kind.SECOND_FACTOR_FAILED).count() >= 3
    assert StaticToken.objects.count() == tokens_before
    assert TOTPDevice.objects.filter(user=people["privacy"], confirmed=True).count() == 1


@pytest.mark.django_db
def test_a_code_already_used_is_refused(people, enrolled_privacy):
    device, _codes = enrolled_privacy
    code = current_code(device, offset_steps=1)
    first = signed_in_with_password(people["privacy"])
    assert first.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    # Someone who watched the code being typed replays it within the same 30 seconds.
    second = signed_in_with_password(people["privacy"], ip="10.9.9.9")
    response = second.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 400
    assert second.get("/staff/oversight/").status_code == 302
    assert SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_FAILED, ip="10.9.9.9").count() == 1


@pytest.mark.django_db
def test_a_recovery_code_works_once(people, enrolled_privacy):
    _device, codes = enrolled_privacy
    first = signed_in_with_password(people["privacy"])
    response = first.post(reverse("accounts:verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert first.get("/staff/oversight/").status_code == 200
    assert SecurityEvent.objects.filter(kind=Kind.RECOVERY_CODE_USED).count() == 1
    again = signed_in_with_password(people["privacy"])
    response = again.post(reverse("accounts:verify"), {"code": codes[0]})
    assert response.status_code == 400
    assert again.get("/staff/oversight/").status_code == 302
    assert StaticToken.objects.filter(device__user=people["privacy"]).count() == 9


@pytest.mark.django_db
def test_a_stolen_password_cannot_replace_the_enrolled_device(people, enrolled_privacy):
    client = signed_in_with_password(people["privacy"])
    response = client.get(reverse("accounts:enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    response = client.post(reverse("accounts:enrol"), {"code": "123456"})
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user=people["privacy"]).count() == 1


@pytest.mark.django_db
def test_admin_login_is_the_same_sign_in(city, people):
    client = Client()
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=/admin/"
    response = password_step(client, people["admin"], next_url="/admin/")
    assert response["Location"].startswith(reverse("accounts:enrol"))
    people["admin"].is_staff = True
    people["admin"].save()
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:enrol"))
    enrol(client, people["admin"])
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_citizens_cannot_enrol(city, people):
    client = Client()
    response = password_step(client, people["nobody"])
    assert response["Location"] == "/"
    assert client.get(reverse("accounts:enrol")).status_code == 403


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones_only_after_the_second_factor(people, enrolled_privacy):
    device, old_codes = enrolled_privacy
    client = signed_in_with_password(people["privacy"])
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    assert StaticToken.objects.filter(device__user=people["privacy"]).count() == 10
    client.post(reverse("accounts:verify"), {"code": current_code(device, offset_steps=1)})
    new_codes = client.post(reverse("accounts:recovery_codes")).context["codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    again = signed_in_with_password(people["privacy"])
    assert again.post(reverse("accounts:verify"), {"code": old_codes[1]}).status_code == 400

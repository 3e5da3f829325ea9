"""No answer of the API ever carries personal data or the citizen's own words, whatever
the identity mode, whether filed through the API or the web form."""

from complaints.models import Complaint
from complaints.lifecycle.engine import perform

from ..complaints.helpers import as_staff
from ..conftest import publish, submit
from .conftest import BASE

MODES = ["named", "confidential", "anonymous"]


def person(mode, channel):
    tag = f"{mode[:4]}{channel}"
    return {
        "first_name": f"Wibisono{tag}", "last_name": f"Kartawijaya{tag}",
        "email": f"wibi.{tag}@example.net", "phone": f"0813 {len(tag):04d} 7{len(mode)}77",
        "device_id": f"device-{tag}", "account_id": f"account-{tag}",
        "description": f"Rumah saya {tag} di Gang Mawar nomor 7, lubang sebesar meja makan di depannya.",
    }


def test_no_response_carries_personal_data_of_any_identity_mode(client, city, people, api_key):
    secrets, codes, bodies = [], [], []
    for mode in MODES:
        api_person = person(mode, "api")
        response = client.post(BASE + "requests.json", {
            "api_key": api_key, "service_code": "JALAN-RUSAK", "address_string": "Jl. Merdeka 12",
            "attribute[identity_mode]": mode, **api_person,
        })
        assert response.status_code == 201, response.content
        bodies.append(response.content)
        codes.append(response.json()[0]["service_request_id"])
        web_person = person(mode, "web")
        codes.append(submit(city, identity_mode=mode,
                            reporter_name=f"{web_person['first_name']} {web_person['last_name']}",
                            reporter_email=web_person["email"], reporter_phone=web_person["phone"],
                            description=web_person["description"]).complaint.tracking_code)
        secrets += list(api_person.values()) + list(web_person.values())
    # A sensitive report filed with a name, too.
    sensitive = person("sensitive", "api")
    response = client.post(BASE + "requests.json", {"api_key": api_key, "service_code": "PUNGLI", **sensitive})
    assert response.status_code == 201
    bodies.append(response.content)
    secrets += list(sensitive.values())
    triage = as_staff(people["triage"])
    for code in codes:
        c = perform(Complaint.objects.get(tracking_code=code), "triage", triage, unit=city["roads"])
        publish(c, people["triage"], "Lubang di jalan", "Ada lubang besar di jalan kota.")
    # Whatever the database still holds about the reporters is a secret too.
    for c in Complaint.objects.all():
        secrets += [v for v in (c.reporter_name, c.reporter_email, c.reporter_phone, c.title,
                                c.description) if v]

    urls = ["discovery", "services", "requests", "requests.{fmt}?status=open,closed"]
    urls += [f"services/{code}" for code in ("JALAN-RUSAK", "PUNGLI", "PUSKESMAS")]
    urls += [f"requests/{code}" for code in codes] + [f"tokens/{code}" for code in codes]
    urls += [f"requests.{{fmt}}?service_request_id={','.join(codes)}"]
    for fmt in ("json", "xml"):
        for url in urls:
            path = url.format(fmt=fmt) if "{fmt}" in url else f"{url}.{fmt}"
            response = client.get(BASE + path)
            assert response.status_code == 200, path
            bodies.append(response.content)
    assert len(Complaint.objects.all()) == 7
    listed = client.get(BASE + "requests.json").json()
    assert sorted(r["service_request_id"] for r in listed) == sorted(codes)
    for body in bodies:
        text = body.decode("utf-8")
        for secret in secrets:
            assert secret not in text
        # The e-mail addresses and phone numbers in any spelling.
        assert "example.net" not in text and "Wibisono" not in text and "Gang Mawar" not in text

from .helpers import drive, submit, url


def test_every_page_renders(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    new = submit(city).complaint
    for user, names in [
        (people["triage"], [("triage",), ("complaint", new.tracking_code)]),
        (people["officer_roads"], [("inbox",), ("complaint", c.tracking_code)]),
        (people["supervisor_works"], [("inbox",), ("complaint", c.tracking_code)]),
        (people["oversight"], [("oversight",), ("audit", c.tracking_code), ("complaint", c.tracking_code)]),
    ]:
        client.force_login(user)
        for name in names:
            response = client.get(url(*name))
            assert response.status_code == 200, (user, name, response.content[:3000])

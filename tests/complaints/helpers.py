from complaints.models import Complaint, Event
from routing.models import Category
from complaints.lifecycle.engine import perform

from ..conftest import CITIZEN, SYSTEM, as_staff


def fresh(complaint):
    # django-fsm's protected field refuses refresh_from_db; re-fetch instead.
    return Complaint.objects.select_related("category", "responsible_unit").get(pk=complaint.pk)


def event_count(complaint):
    return Event.objects.filter(complaint=complaint).count()


def actor_for(role, people):
    """The actor for a role name: "citizen", "system" or a key of the `people` fixture."""
    from complaints.permissions import ActorRef

    if role == "citizen":
        return ActorRef.citizen()
    if role == "system":
        return ActorRef.system()
    return ActorRef.staff(people[role])


def drive(complaint, people, city, to):
    """Take a freshly filed complaint to the state `to` through legal transitions."""
    c = complaint
    t, officer = as_staff(people["triage"]), as_staff(people["officer_roads"])
    if to == "submitted":
        return c
    if to == "needs_info":
        return perform(c, "request_info", t, message="Di nomor berapa tepatnya?")
    if to == "rejected":
        return perform(c, "reject", t, reason="spam", message="Ini iklan.")
    c = perform(c, "triage", t, unit=city["roads"])
    if to == "triaged":
        return c
    c = perform(c, "start", officer)
    if to == "in_progress":
        return c
    if to == "verifying":  # a category whose resolutions a supervisor verifies
        Category.objects.filter(pk=c.category_id).update(needs_verification=True)
    c = perform(c, "resolve", officer, outcome="fixed", summary="Lubang sudah ditambal.")
    if to in ("resolved", "verifying"):
        return c
    c = perform(c, "confirm", CITIZEN, rating=5)
    if to == "closed":
        return c
    raise ValueError(to)


__all__ = ["actor_for", "fresh", "event_count", "drive", "CITIZEN", "SYSTEM", "as_staff", "perform"]

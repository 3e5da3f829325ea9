"""Training data for the routing classifier, read from the complaints.

Every triaged complaint is an example, labelled with the unit that finally handled it
(after transfers), so the model learns from the officers' corrections. Sensitive
complaints are left out: they go to oversight by rule, never by the classifier; so are
complaints whose personal data was erased (complaints.erasure): their text is gone."""

from ml.text import complaint_text

from .models import Complaint


def training_examples():
    rows = (
        Complaint.objects.filter(triaged_at__isnull=False, responsible_unit__isnull=False,
                                 category__sensitive=False, personal_data_erased_at__isnull=True)
        .exclude(responsible_unit__kind="oversight")
        .values_list("title", "description", "responsible_unit__code")
        .order_by("pk")
    )
    for title, description, unit in rows.iterator(chunk_size=2000):
        yield complaint_text(title, description), unit


def judged_suggestion(data):
    """Whether a triage event took the classifier's suggestion (True/False), or None when it
    was no officer's judgement of one: no suggestion was made, or the system routed the
    complaint itself (automatic routing takes its own suggestion; sensitive complaints go
    by rule). The one definition for every acceptance figure."""
    data = data or {}
    accepted = data.get("accepted_suggestion")
    return None if accepted is None or data.get("auto") else bool(accepted)


def acceptance_by_week(since, until=None):
    """How often triage officers accepted the classifier's suggestion, per week.

    From the triage events' ``accepted_suggestion`` (recorded at each triage): decisions
    with no suggestion, and automatic routings (the system taking its own suggestion,
    including sensitive complaints routed by rule), are not judgements of a suggestion
    and are left out. Weeks start on Monday in the local time zone; every week from the
    one containing ``since`` to the one containing ``until`` (default now) is listed,
    empty weeks included, so a chart has no gaps:
    ``[{"week": date, "decided": n, "accepted": k, "rate": k / n or None}, ...]``.
    For the staff performance page's chart.
    """
    import datetime as dt

    from django.utils import timezone

    from .models import Event

    until = until or timezone.now()
    first = timezone.localtime(since).date()
    first -= dt.timedelta(days=first.weekday())
    last = timezone.localtime(until).date()
    weeks = {}
    day = first
    while day <= last:
        weeks[day] = [0, 0]
        day += dt.timedelta(days=7)
    rows = Event.objects.filter(action="triage", created_at__gte=since, created_at__lte=until).values_list(
        "created_at", "data")
    for created, data in rows.iterator(chunk_size=2000):
        accepted = judged_suggestion(data)
        if accepted is None:
            continue
        local = timezone.localtime(created).date()
        week = weeks.setdefault(local - dt.timedelta(days=local.weekday()), [0, 0])
        week[0] += 1
        week[1] += int(bool(accepted))
    return [{"week": week, "decided": n, "accepted": k, "rate": (k / n) if n else None}
            for week, (n, k) in sorted(weeks.items())]

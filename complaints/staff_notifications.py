"""E-mails to staff when a complaint escalates, written to the outbox inside the
transaction of the escalation (so an alert exists exactly when the escalation does).

Level 1 (a due date passed): the supervisors of the responsible unit (the triage desk
for a complaint not yet routed).
Level 2 (overdue by the same target length again): the supervisors of the parent unit
and the oversight body. A complaint that jumps from 0 to 2 in one sweep alerts both.

A late verification (the verifier's clock, `due` "verification", its own level): level 1
goes to those who may verify it, the nearest supervisors other than the resolver (of the
unit, else of the units above it: the resolver may be the unit's only supervisor), or to
the oversight body when nobody but the resolver could ever verify it; level 2 to the
supervisors of the parent unit (never the resolver) and the oversight body.

Sensitive complaints are handled by oversight; their alerts never go to a unit outside
oversight (the unit complained about must not learn of them). The e-mails carry no
personal data and none of the citizen's words: only the tracking code, category, unit,
due step and a link to the staff page.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import override

from routing.models import Membership

from . import outbox
from .links import staff_complaint_url
from .permissions import OVERSIGHT, TRIAGE
from .signals import complaint_changed


def supervisors_of(unit, exclude=None):
    """Supervisors of `unit`; when it has none, those of the nearest unit above it (who
    see it as a sub-unit). An oversight unit never hands its alerts up the line.
    `exclude`: a user who does not count (the resolver, for a verification)."""
    node = unit
    while node is not None:
        users = list(
            get_user_model().objects.filter(
                memberships__unit=node, memberships__role=Membership.Role.SUPERVISOR, is_active=True,
            ).exclude(email="").exclude(pk=exclude).order_by("pk")
        )
        if users or node.is_oversight:
            return users
        node = node.parent
    return []


def group_users(name):
    return list(get_user_model().objects.filter(groups__name=name, is_active=True)
                .exclude(email="").order_by("pk"))


def _unique(recipients):
    unique, seen = [], set()
    for user in recipients:
        if user.pk not in seen:
            seen.add(user.pk)
            unique.append(user)
    return unique


def verification_recipients(complaint, previous_level, level):
    """Who is told of a late verification: never the resolver, who may not verify it."""
    unit, resolver = complaint.responsible_unit, complaint.resolved_by_id
    recipients = []
    if previous_level < 1 <= level:
        # Nobody but the resolver supervises the unit or any unit above it: oversight
        # is told at once, and finds it in its "escalated" list.
        recipients += (supervisors_of(unit, exclude=resolver) if unit is not None else []) or group_users(OVERSIGHT)
    if previous_level < 2 <= level:
        if unit is not None and unit.parent is not None and not complaint.category.sensitive:
            recipients += supervisors_of(unit.parent, exclude=resolver)
        recipients += group_users(OVERSIGHT)
    return _unique(recipients)


def escalation_recipients(complaint, previous_level, level):
    unit = complaint.responsible_unit
    recipients = []
    if previous_level < 1 <= level:
        if unit is None:  # still waiting for triage: the triage desk is told
            recipients += group_users(TRIAGE)
        else:
            # An oversight unit without supervisors: the oversight body as a whole.
            recipients += supervisors_of(unit) or (group_users(OVERSIGHT) if unit.is_oversight else [])
    if previous_level < 2 <= level:
        if unit is not None and unit.parent is not None and not complaint.category.sensitive:
            recipients += supervisors_of(unit.parent)
        recipients += group_users(OVERSIGHT)
    return _unique(recipients)


@receiver(complaint_changed, dispatch_uid="staff-escalation-alerts")
def alert_on_escalation(sender, complaint, event, action, previous=None, **kwargs):
    if action != "escalate":
        return
    level = int(event.data.get("level") or 0)
    step = event.data.get("due") or ""
    verification = step == "verification"
    previous_level = int((previous or {}).get(
        "verification_escalation_level" if verification else "escalation_level") or 0)
    link = staff_complaint_url(complaint)
    with override(settings.LANGUAGE_CODE):
        steps = {"triage": _("triage"), "response": _("first response"), "resolution": _("resolution"),
                 "verification": _("verification")}
        subject = _("[Aduan] %(code)s is overdue: escalation level %(level)d") % {
            "code": complaint.tracking_code, "level": level}
        body = _(
            "Complaint %(code)s (%(category)s) held by %(unit)s has passed its %(step)s due date "
            "and is now at escalation level %(level)d.\n\nOpen it: %(link)s\n"
        ) % {
            "code": complaint.tracking_code, "category": complaint.category.name,
            "unit": complaint.responsible_unit.code if complaint.responsible_unit else _("no unit (triage)"),
            "step": steps.get(step, step or _("SLA")), "level": level, "link": link,
        }
        if verification:
            body += "\n" + _(
                "The unit resolved it; its resolution waits for a verifier. A supervisor of the unit or "
                "of a unit above it, other than the officer who resolved it, can verify it or send it back.\n")
    recipients = (verification_recipients if verification else escalation_recipients)(
        complaint, previous_level, level)
    for user in recipients:
        outbox.enqueue(kind=f"staff_escalation_{level}", to_email=user.email, subject=subject,
                       body=body, complaint=complaint, language=settings.LANGUAGE_CODE)

"""Who sees warnings and systemic issues, and the one entry point that changes them.

- Warnings: oversight only (oversight, privacy officers, administrators). They may hold
  codes of sensitive complaints, which must never reach the unit complained about.
- Systemic issues: oversight sees all; members of the assigned unit (supervisors: and of
  the units above it) see the issues assigned to it, without sensitive complaints.
  Nobody else learns that an issue exists (404).
- Oversight opens, assigns and closes; the assigned unit answers. A sensitive issue
  (one linked complaint of a sensitive category) may be assigned to an oversight unit only.

:func:`act` locks the issue, compares the state the caller saw, checks the actor and the
arguments, runs the django-fsm transition, writes the append-only event and queues the
e-mails in the same transaction. Illegal or stale steps raise :class:`IssueError` and
change nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override
from django_fsm import can_proceed

from complaints import outbox
from complaints import permissions as perms
from complaints.links import absolute_reverse
from complaints.models import Complaint
from complaints.roles import acts_as_oversight
from complaints.roles import reads_everything
from complaints.staff_notifications import group_users, supervisors_of
from routing import calendar
from routing.models import Unit

from .models import EarlyWarning, IssueState, SystemicIssue, SystemicIssueEvent, WarningStatus

ACTION_LABELS = {
    "opened": gettext_lazy("Opened"),
    "assign": gettext_lazy("Assign to a unit"),
    "answer": gettext_lazy("Answer"),
    "close": gettext_lazy("Close"),
}
MAX_DUE_WORKING_DAYS = 120


class IssueError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def visible_issues(user):
    """The systemic issues this user may open."""
    if reads_everything(user):
        return SystemicIssue.objects.all()
    units = list(perms.unit_roles(user))
    if not units:
        return SystemicIssue.objects.none()
    return SystemicIssue.objects.filter(unit_id__in=units).exclude(state=IssueState.OPEN)


def has_systemic_access(user):
    """Whether the staff navigation shows "Systemic issues" to this user."""
    return reads_everything(user) or visible_issues(user).exists()


def visible_complaints(user, issue):
    """The linked complaints this user may see listed on the issue."""
    linked = issue.complaints.select_related("category").order_by("submitted_at")
    if reads_everything(user):
        return linked
    return linked.filter(category__sensitive=False)


def decides_warnings(user):
    """Oversight (and administrators) dismiss warnings and open issues; privacy officers read."""
    return acts_as_oversight(user)


def may(user, issue, action):
    if action in ("assign", "close"):
        return acts_as_oversight(user)
    if action == "answer":
        return issue.unit_id is not None and issue.unit_id in perms.unit_roles(user)
    return False


def available_actions(user, issue):
    return [a for a in ("assign", "answer", "close")
            if may(user, issue, a) and can_proceed(getattr(issue, a))]


def _event(issue, kind, user, now, from_state="", data=None):
    seq = issue.events.count() + 1
    return SystemicIssueEvent.objects.create(
        issue=issue, seq=seq, created_at=now, kind=kind, from_state=from_state, to_state=issue.state,
        actor=user, actor_label=user.get_username(), data=data or {},
    )


def _mail(issue, recipients, kind, subject, body):
    seen = set()
    for user in recipients:
        if user.pk in seen or not user.email:
            continue
        seen.add(user.pk)
        outbox.enqueue(kind=f"systemic_{kind}", to_email=user.email, subject=subject, body=body,
                       language=settings.LANGUAGE_CODE)


def _notify(issue, kind):
    """E-mails carry the reference, title, unit, due date and a link; no complaint text."""
    oversight = group_users(perms.OVERSIGHT)
    unit_people = supervisors_of(issue.unit) if issue.unit else []
    link = absolute_reverse("systemic:issue", kwargs={"pk": issue.pk})
    with override(settings.LANGUAGE_CODE):
        values = {"ref": issue.reference, "title": issue.title, "unit": issue.unit.code if issue.unit else "—",
                  "due": timezone.localtime(issue.due_at).strftime("%Y-%m-%d") if issue.due_at else "—",
                  "link": link}
        if kind == "assigned":
            subject = _("[Aduan] Systemic issue %(ref)s assigned to %(unit)s") % values
            body = _("Oversight has assigned the systemic issue %(ref)s “%(title)s” to %(unit)s. "
                     "Please send the unit's analysis and measures by %(due)s.\n\nOpen it: %(link)s\n") % values
        elif kind == "answered":
            subject = _("[Aduan] %(unit)s answered systemic issue %(ref)s") % values
            body = _("%(unit)s has answered the systemic issue %(ref)s “%(title)s”.\n\nOpen it: %(link)s\n") % values
        else:
            subject = _("[Aduan] Systemic issue %(ref)s closed") % values
            body = _("Oversight has closed the systemic issue %(ref)s “%(title)s”.\n\nOpen it: %(link)s\n") % values
    _mail(issue, unit_people + oversight, kind, subject, body)


@transaction.atomic
def open_issue(user, warnings, title, description, now=None):
    """Turn new warnings into one systemic issue linked to their complaints."""
    if not decides_warnings(user):
        raise IssueError(_("Only oversight can open a systemic issue."), status=403)
    title, description = (title or "").strip(), (description or "").strip()
    if not title or not description:
        raise IssueError(_("A systemic issue needs a title and a description."))
    now = now or timezone.now()
    locked = list(EarlyWarning.objects.select_for_update().filter(pk__in=[w.pk for w in warnings]))
    if not locked or any(w.status != WarningStatus.NEW for w in locked):
        raise IssueError(_("This warning has already been dismissed or turned into an issue."), status=409)
    codes = {code for w in locked for code in w.complaint_codes}
    complaints = list(Complaint.objects.filter(tracking_code__in=codes).select_related("category"))
    issue = SystemicIssue.objects.create(
        title=title[:200], description=description, created_by=user, created_at=now, updated_at=now,
        sensitive=any(c.category.sensitive for c in complaints),
    )
    issue.complaints.set(complaints)
    EarlyWarning.objects.filter(pk__in=[w.pk for w in locked]).update(
        status=WarningStatus.ESCALATED, issue=issue, decided_by=user, decided_at=now)
    _event(issue, "opened", user, now, data={"warnings": [w.pk for w in locked], "complaints": len(complaints)})
    return issue


@transaction.atomic
def dismiss(user, warning, reason, now=None):
    if not decides_warnings(user):
        raise IssueError(_("Only oversight can dismiss a warning."), status=403)
    reason = (reason or "").strip()
    if not reason:
        raise IssueError(_("Say why the warning is dismissed."))
    updated = EarlyWarning.objects.filter(pk=warning.pk, status=WarningStatus.NEW).update(
        status=WarningStatus.DISMISSED, dismiss_reason=reason, decided_by=user, decided_at=now or timezone.now())
    if not updated:
        raise IssueError(_("This warning has already been dismissed or turned into an issue."), status=409)


def act(issue, action, user, expected_state, now=None, **args):
    """Perform one step of a systemic issue (see the module docstring)."""
    if action not in ("assign", "answer", "close"):
        raise IssueError(_("Unknown action."), status=404)
    now = now or timezone.now()
    with transaction.atomic():
        issue = SystemicIssue.objects.select_for_update().get(pk=issue.pk)
        if expected_state != issue.state:
            raise IssueError(_("The issue changed while you were looking at it. Reload and try again."), status=409)
        if not may(user, issue, action):
            raise IssueError(_("You may not do this."), status=403)
        if not can_proceed(getattr(issue, action)):
            raise IssueError(_("This step is not possible in the issue's current state."), status=409)
        from_state = issue.state
        data = {}
        if action == "assign":
            data = _assign(issue, args, now)
        elif action == "answer":
            data = _answer(issue, args, now)
        else:
            issue.closing_note = (args.get("note") or "").strip()
            if not issue.closing_note:
                raise IssueError(_("Write oversight's closing note."))
            issue.closed_at = now
            data = {"note": issue.closing_note}
        getattr(issue, action)()
        issue.updated_at = now
        issue.save()
        _event(issue, action, user, now, from_state=from_state, data=data)
        _notify(issue, {"assign": "assigned", "answer": "answered", "close": "closed"}[action])
    return issue


def _assign(issue, args, now):
    unit = Unit.objects.filter(code=(args.get("unit") or "").strip(), active=True).first()
    if unit is None:
        raise IssueError(_("Choose an active unit."))
    if issue.sensitive and not unit.is_oversight:
        raise IssueError(_("This issue includes sensitive complaints: only an oversight unit may hold it."))
    try:
        days = int(args.get("days") or "")
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DUE_WORKING_DAYS:
        raise IssueError(_("Give the answer time in working days (1 to %(max)d).") % {"max": MAX_DUE_WORKING_DAYS})
    issue.unit = unit
    issue.due_at = calendar.add_working_days(now, days)
    issue.assigned_at = now
    return {"unit": unit.code, "working_days": days, "due_at": issue.due_at.isoformat()}


def _answer(issue, args, now):
    analysis, measures = (args.get("analysis") or "").strip(), (args.get("measures") or "").strip()
    if not analysis or not measures:
        raise IssueError(_("An answer needs the unit's analysis and its measures."))
    issue.analysis, issue.measures, issue.answered_at = analysis, measures, now
    return {"analysis": analysis, "measures": measures}


"""The data subject's rights under UU 27/2022 (issue 18 item 4): a copy of everything held
about a citizen's report, and their requests to erase it or to stop processing it, decided
by a privacy officer within SUBJECT_REQUEST_HOURS (3 x 24 hours, counted in hours).

Every step is an action of the lifecycle registry (download_data, subject_request,
approve_subject_request, refuse_subject_request) and so an audited event whose data holds
the request's number and kind only. Approving goes on in the same transaction: a complaint
that has not ended is withdrawn by the privacy officer on the citizen's behalf (the
lifecycle's `withdraw`), and an erasure then erases it as retention does
(complaints.erasure; performed by the system, labelled ERASURE_ACTOR, right after the
officer's approval event). "Stop" withdraws and restricts processing (no more e-mails)
without erasing.
"""

import io
import json
import zipfile

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import privacy
from .citizen import services
from .erasure import ErasureReason, do_erase_personal_data
from .lifecycle.engine import perform
from .lifecycle.errors import InvalidArguments
from .models import Attachment, DataSubjectRequest, SubjectRequestKind
from .permissions import ActorRef

_SALT = "aduan.subject-rights.download"
ERASURE_ACTOR = "data subject request"  # the system's label on the erasure after an approval
EXPORT_FORMAT = "aduan-personal-data-v1"


# --- the signed download link --------------------------------------------------------------
def _fingerprint(complaint):
    # Replacing the complaint's key makes its download links void, as it does its e-mail links.
    return complaint.access_token_hash[:12]


def download_path(complaint):
    """The tracking page's signed, time-limited link to the complaint's data (ZIP)."""
    signed = signing.dumps({"c": complaint.tracking_code, "k": _fingerprint(complaint)}, salt=_SALT)
    # In the query string: the access-log filter drops query strings.
    return reverse("complaints:track_data", args=[complaint.tracking_code]) + "?s=" + signed


def account_download_path(user):
    """The signed, time-limited link to the data of every report filed from `user`'s account."""
    return reverse("complaints:my_data") + "?s=" + signing.dumps({"u": user.pk}, salt=_SALT)


def _loads(signed):
    try:
        value = signing.loads(signed or "", salt=_SALT, max_age=settings.SUBJECT_DOWNLOAD_LINK_MINUTES * 60)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return value if isinstance(value, dict) else None


def link_opens(complaint, signed):
    """Whether a signed link is for this complaint, unexpired and untampered."""
    value = _loads(signed)
    return bool(value and value.get("c") == complaint.tracking_code and value.get("k") == _fingerprint(complaint))


def account_link_opens(user, signed):
    value = _loads(signed)
    return bool(value and user.is_authenticated and value.get("u") == user.pk)


# --- what is held about a report ----------------------------------------------------------
# The complaint's facts that are about the citizen's report (its personal fields come from
# the privacy inventory: every field under the `complaint` rule).
FACTS = ("tracking_code", "kind", "language", "identity_mode", "visibility", "state", "submitted_at",
         "triaged_at", "first_response_at", "resolved_at", "closed_at", "appeal_due_at", "outcome",
         "rating", "reject_reason", "public_title", "public_summary", "public_location",
         "processing_restricted_at")


def _personal_complaint_fields():
    declared = privacy.INVENTORY["complaints.Complaint"]["personal"]
    return [name for name, (kind, rule, *_note) in declared.items() if rule == "complaint"]


def _field_value(complaint, name):
    if name == "reporter_user":
        user = complaint.reporter_user
        return user.get_username() if user else None
    if name == "area":
        return str(complaint.area) if complaint.area_id else None
    return getattr(complaint, name)


def complaint_data(complaint, files):
    """Everything held about one report that concerns its citizen, as plain data; `files`
    maps each attachment to its name inside the ZIP."""
    fields = {name: getattr(complaint, name) for name in FACTS}
    fields.update({name: _field_value(complaint, name) for name in _personal_complaint_fields()})
    fields["category"] = str(complaint.category.name)
    fields["responsible_unit"] = str(complaint.responsible_unit.name) if complaint.responsible_unit_id else None
    timeline = []
    for item in services.timeline(complaint):  # what the tracking page shows: no staff names
        entry = {"when": item["when"], "kind": item["kind"]}
        if item["kind"] == "message":
            entry.update(author=str(item["author"]), body=item["body"])
        else:
            entry.update(label=str(item["label"]), detail=str(item["detail"] or ""))
        timeline.append(entry)
    notifications = [
        {"kind": n.kind, "to": n.to_email or n.to_phone, "subject": n.subject, "body": n.body, "status": n.status,
         "created_at": n.created_at, "sent_at": n.sent_at}
        for n in complaint.notifications.order_by("created_at", "pk")]
    requests = [
        {"kind": r.kind, "state": r.state, "reason": r.reason, "submitted_at": r.submitted_at,
         "due_at": r.due_at, "decided_at": r.decided_at, "refusal_reason": r.refusal_reason}
        for r in complaint.subject_requests.order_by("submitted_at", "pk")]
    attachments = [
        {"file": files[a.pk], "original_name": a.original_name, "content_type": a.content_type,
         "size": a.size, "created_at": a.created_at}
        for a in sorted(files_of(complaint), key=lambda a: a.pk) if a.pk in files]
    return {"complaint": fields, "timeline": timeline, "notifications": notifications,
            "requests": requests, "attachments": attachments}


def files_of(complaint):
    return list(Attachment.objects.filter(complaint=complaint).order_by("pk"))


def build_zip(complaints, account=None, now=None):
    """The ZIP of a citizen's data: data.json (every report, and the account when given)
    and the files they sent, under files/<tracking code>/."""
    now = now or timezone.now()
    buffer = io.BytesIO()
    reports = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for complaint in complaints:
            files = {}
            for item in files_of(complaint):
                name = f"files/{complaint.tracking_code}/{item.pk}{item.extension}"
                try:
                    with item.file.open("rb") as handle:
                        archive.writestr(name, handle.read())
                except (FileNotFoundError, ValueError):
                    continue  # a file already erased: its row still says what it was
                files[item.pk] = name
            reports.append(complaint_data(complaint, files))
        document = {"format": EXPORT_FORMAT, "generated_at": now, "reports": reports}
        if account is not None:
            document["account"] = {"username": account.get_username(), "email": account.email,
                                   "date_joined": account.date_joined, "last_login": account.last_login}
        archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def take_copy(complaints, now=None):
    """Record the citizen's copy of each report (an audited access request) before serving it."""
    with transaction.atomic():
        for complaint in complaints:
            perform(complaint.pk, "download_data", ActorRef.citizen(), now=now)


# --- the privacy officer's queue ------------------------------------------------------------
def queue(now):
    """Pending erase and stop requests, the nearest deadline first, with their clock."""
    rows = (DataSubjectRequest.objects.filter(state=DataSubjectRequest.Status.PENDING)
            .select_related("complaint", "complaint__category", "complaint__responsible_unit")
            .order_by("due_at", "pk"))
    return [{"request": r, "hours_left": max(0, r.hours_left(now)), "overdue": r.is_overdue(now),
             "overdue_hours": max(0, -r.hours_left(now) - 1), "notes": caution(r.complaint, now)}
            for r in rows]


def caution(complaint, now):
    """What may justify a refusal, for the officer to weigh (the decision stays theirs)."""
    notes = []
    if complaint.reopen_count and not complaint.has_ended:
        notes.append(_("on appeal: the unit works on it again after the citizen's appeal"))
    elif complaint.state == "resolved" and complaint.appeal_due_at and now <= complaint.appeal_due_at:
        notes.append(_("resolved, the appeal window is open"))
    if complaint.category.sensitive and not complaint.has_ended:
        notes.append(_("abuse-of-power complaint under investigation"))
    return notes


def _locked(pk):
    request = DataSubjectRequest.objects.select_for_update().filter(pk=pk).first() if str(pk).isdigit() else None
    if request is None:
        raise InvalidArguments(_("No such request."))
    if request.state != DataSubjectRequest.Status.PENDING:
        raise InvalidArguments(_("This request was already decided."))
    return request


def approve(pk, *, officer, now=None):
    """Approve a pending request as `officer`: the approval (which restricts processing),
    then, when the complaint has not ended, its withdrawal on the citizen's behalf, then for
    an erasure the erasure itself. One transaction: all of it happens or none."""
    now = now or timezone.now()
    actor = ActorRef.staff(officer)
    with transaction.atomic():
        request = _locked(pk)
        complaint = perform(request.complaint_id, "approve_subject_request", actor, now=now, request=request)
        if not complaint.has_ended:
            complaint = perform(complaint, "withdraw", actor, now=now)
        if request.kind == SubjectRequestKind.ERASE:
            # The system carries out what the officer just decided (the event before this
            # one names them), as retention does: erasure is never a staff page's action.
            do_erase_personal_data(complaint.pk, acting_user=ActorRef.system(ERASURE_ACTOR),
                                   reason=ErasureReason.REQUEST)
    return request


def refuse(pk, *, officer, reason, now=None):
    with transaction.atomic():
        request = _locked(pk)
        perform(request.complaint_id, "refuse_subject_request", ActorRef.staff(officer), now=now,
                request=request, reason=reason)
    return request

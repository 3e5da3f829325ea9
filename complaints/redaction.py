"""Erasing the personal parts of a complaint's audit events (issue 18 item 2).

The retention job and an approved erasure request call `erase_event_personal_parts`; each
event keeps its facts and the commitment to its personal part (complaints.audit), so the
chain still verifies, and the erasure itself is an audited event without personal values.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .lifecycle.engine import commit, tracked_values
from django.utils.translation import gettext as _

from .lifecycle.errors import Conflict, NotPermitted
from .lifecycle.handlers import do_erase_personal_parts
from .models import Complaint, Event
from .permissions import PRIVACY_OFFICER, ActorRef
from .roles import has_role

REASON_MAX = 100


class NotResealed(Conflict):
    """The complaint still has events sealed before the split (its chain was not re-sealed,
    usually because it did not verify): erasing them would break it. Run reseal_audit, or
    investigate the chain verify_audit names."""


def _actor(acting_user):
    """The system or a privacy officer; a User is taken as that staff member."""
    if isinstance(acting_user, ActorRef):
        actor = acting_user
    elif isinstance(acting_user, get_user_model()):
        actor = ActorRef.staff(acting_user)
    else:
        raise NotPermitted("Only the system or a privacy officer erases personal data.")
    if actor.type == "system":
        return actor
    if actor.is_staff_user and has_role(actor.user, PRIVACY_OFFICER):
        return actor
    raise NotPermitted("Only the system or a privacy officer erases personal data.")


def _reason_code(reason):
    """The reason is recorded as a fact for ever: a short code such as "retention" or
    "erasure request #12", never the citizen's words (cut, control characters removed)."""
    text = "".join(ch for ch in str(reason or "") if ch.isprintable())
    return text.strip()[:REASON_MAX]


def erase_event_personal_parts(complaint, *, acting_user, reason) -> int:
    """Erase the personal part and salt of every event of `complaint` (instance or pk) and
    append a "personal data erased" event; return how many events were redacted. Nothing of
    the complaint's own fields changes (not even updated_at). When nothing is left to
    erase, nothing is recorded and 0 is returned, so repeating it is harmless.
    Raises NotPermitted for an actor other than the system or a privacy officer, and
    NotResealed when some event predates the split."""
    actor = _actor(acting_user)
    reason = _reason_code(reason)
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    now = timezone.now()
    with transaction.atomic():
        locked = (Complaint.objects.select_for_update(of=("self",))
                  .select_related("category", "responsible_unit").get(pk=pk))
        events = Event.objects.filter(complaint=locked)
        if events.filter(personal_hash__isnull=True).exists():
            raise NotResealed(_("The audit chain of %(code)s was not re-sealed (run reseal_audit, or look into "
                                "what verify_audit reports): its personal data cannot be erased yet.")
                              % {"code": locked.tracking_code})
        if not events.filter(personal_erased_at__isnull=True).exclude(personal_hash="").exists():
            return 0
        before = tracked_values(locked)
        change = do_erase_personal_parts(locked, acting_user=actor, now=now, reason=reason)
        commit(locked, "personal_data_erased", actor, now, change, from_state=locked.state,
               before=before, touch=False)
    return change.data["events"]

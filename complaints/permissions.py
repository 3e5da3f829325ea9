"""Who may see a complaint and who may perform which action on it.

Global roles are Django groups; unit roles come from routing.Membership. Every view,
transition and API call asks these functions; nothing else decides.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q

from routing.models import Membership, Unit

from .models import Actor, ApiKey, Event, IdentityMode, State

TRIAGE = "triage"
OVERSIGHT = "oversight"
PRIVACY_OFFICER = "privacy_officer"
ADMIN = "admin"
GLOBAL_ROLES = (TRIAGE, OVERSIGHT, PRIVACY_OFFICER, ADMIN)


@dataclass
class ActorRef:
    """Who performs an action: a staff user, the citizen holding the token, an API key or
    the system."""

    type: str
    user: object = None
    api_key: ApiKey | None = None
    label: str = field(default="")

    @classmethod
    def staff(cls, user):
        return cls(Actor.USER, user=user, label=user.get_username())

    @classmethod
    def citizen(cls, user=None):
        # A signed-in citizen is still "the citizen": their account is never shown to staff
        # through the audit label.
        return cls(Actor.CITIZEN, user=None, label="citizen")

    @classmethod
    def api(cls, api_key):
        return cls(Actor.API_KEY, api_key=api_key, label=api_key.name)

    @classmethod
    def system(cls, label="system"):
        return cls(Actor.SYSTEM, label=label)

    @property
    def is_staff_user(self):
        return self.type == Actor.USER and self.user is not None and self.user.is_authenticated


def global_roles(user):
    """The user's global roles (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_aduan_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True)) & set(GLOBAL_ROLES)
        if user.is_superuser:
            names.add(ADMIN)
        cached = frozenset(names)
        user._aduan_roles = cached
    return cached


def has_role(user, role):
    return role in global_roles(user)


def unit_roles(user):
    """{unit_id: role} for every unit the user handles: the units they are a member of,
    plus, for supervisors, every unit below those (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_aduan_unit_roles", None)
    if cached is not None:
        return cached
    roles = {}
    memberships = list(Membership.objects.filter(user=user, unit__active=True).select_related("unit"))
    supervised = [m for m in memberships if m.role == Membership.Role.SUPERVISOR]
    # (staff issue) An oversight unit placed under a supervised unit in the tree is not
    # supervised through it: abuse-of-power complaints must never reach the line units
    # above it. Only a membership of the oversight unit itself gives access.
    oversight_ids = oversight_unit_ids() if supervised else set()
    for membership in supervised:
        for unit_id in membership.unit.descendant_ids():
            if unit_id in oversight_ids and unit_id != membership.unit_id:
                continue
            roles[unit_id] = Membership.Role.SUPERVISOR
    for membership in memberships:
        if membership.role == Membership.Role.OFFICER:
            roles.setdefault(membership.unit_id, Membership.Role.OFFICER)
    user._aduan_unit_roles = roles
    return roles


def is_staff_member(user):
    return bool(global_roles(user) or unit_roles(user))


def staff_accounts_q():
    """Accounts that are staff accounts: a global role or any other group, a unit
    membership, or Django's staff or superuser flag. Every other account is a citizen's,
    possibly a confidential reporter's, and appears nowhere staff can look (the admin lists
    staff accounts only). Take roles away from a former officer by deactivating the account,
    which keeps it listed."""
    return (Exists(Group.user_set.through.objects.filter(user_id=OuterRef("pk")))
            | Exists(Membership.objects.filter(user_id=OuterRef("pk")))
            | Q(is_staff=True) | Q(is_superuser=True))


def handles(user, complaint):
    """The user works on this complaint for its responsible unit."""
    return complaint.responsible_unit_id is not None and complaint.responsible_unit_id in unit_roles(user)


def supervises(user, complaint):
    return unit_roles(user).get(complaint.responsible_unit_id) == Membership.Role.SUPERVISOR


def _escalation_watchers(complaint):
    """Units that see a complaint escalated to level 2: the responsible unit's parent."""
    unit = complaint.responsible_unit
    # (staff issue) Sensitive complaints escalate to oversight only, never up the line.
    if complaint.category.sensitive:
        return set()
    if complaint.escalation_level >= 2 and unit is not None and unit.parent_id:
        return {unit.parent_id}
    return set()


def can_view(user, complaint):
    roles = global_roles(user)
    if ADMIN in roles or OVERSIGHT in roles or PRIVACY_OFFICER in roles:
        return True
    if TRIAGE in roles and not complaint.category.sensitive:
        return True
    if handles(user, complaint):
        return True
    return bool(_escalation_watchers(complaint) & set(unit_roles(user)))


def unit_scope_q(user):
    """Complaints the user handles through unit membership (supervisors: sub-units too),
    plus those escalated to level 2 in a unit directly below one of theirs."""
    unit_ids = list(unit_roles(user))
    return Q(responsible_unit_id__in=unit_ids) | Q(
        escalation_level__gte=2, responsible_unit__parent_id__in=unit_ids,
        category__sensitive=False,
    )


def visible_complaints_q(user):
    """A filter for the complaints a staff user may open (same rule as can_view)."""
    roles = global_roles(user)
    if ADMIN in roles or OVERSIGHT in roles or PRIVACY_OFFICER in roles:
        return Q()
    q = unit_scope_q(user)
    if TRIAGE in roles:
        q |= Q(category__sensitive=False)
    return q


def has_revealed(user, complaint):
    """This privacy officer revealed this confidential reporter (an audited event)."""
    return (complaint.identity_mode == IdentityMode.CONFIDENTIAL
            and PRIVACY_OFFICER in global_roles(user)
            and Event.objects.filter(complaint=complaint, kind="reveal_identity", actor_user=user).exists())


def reads_unmasked(user, complaint):
    """Whether a user who may view the complaint reads it unmasked (named reporters shown,
    personal data in free text, address and media link not masked).

    Named reporters: its handlers, triage (and administrators) for non-sensitive
    complaints, escalation watchers and privacy officers; everyone else who may view it
    (oversight, administrators of sensitive ones) reads it masked. Confidential and
    anonymous reporters often type their contact details into the text, so everyone reads
    those masked, handlers included: only a privacy officer reads an anonymous report
    unmasked, and a confidential one after their own audited reveal."""
    roles = global_roles(user)
    if complaint.identity_mode == IdentityMode.CONFIDENTIAL:
        return has_revealed(user, complaint)
    if complaint.identity_mode == IdentityMode.ANONYMOUS:
        return PRIVACY_OFFICER in roles
    if PRIVACY_OFFICER in roles or handles(user, complaint):
        return True
    if (TRIAGE in roles or ADMIN in roles) and not complaint.category.sensitive:
        return True
    return bool(_escalation_watchers(complaint) & set(unit_roles(user)))


def sensitive_history_reading(user):
    """How a user reads what happened to a complaint while it was sensitive, once oversight
    has declassified it (Complaint.declassified_at): as they would read a sensitive
    complaint. None: not at all (line units, triage; the confidentiality promised while it
    was an abuse-of-power report does not lapse when its category changes); "masked":
    oversight and administrators reading without handling; "unmasked": privacy officers
    and members of an oversight unit (who handled it)."""
    if PRIVACY_OFFICER in global_roles(user) or set(unit_roles(user)) & oversight_unit_ids():
        return "unmasked"
    if {OVERSIGHT, ADMIN} & global_roles(user):
        return "masked"
    return None


def duplicate_originals_q(user, complaint):
    """Complaints the user may name as the original of `complaint`: those they may open,
    of the same sensitivity. A sensitive report never closes as a duplicate of one the
    unit complained about handles, and an ordinary one never points its handlers at an
    abuse-of-power report."""
    return visible_complaints_q(user) & Q(category__sensitive=complaint.category.sensitive)


# --- actions ------------------------------------------------------------------------
def _is_triage(actor):
    return actor.is_staff_user and (has_role(actor.user, TRIAGE) or has_role(actor.user, ADMIN))


def _is_handler(actor, complaint):
    return actor.is_staff_user and handles(actor.user, complaint)


def _is_oversight(actor):
    return actor.is_staff_user and (has_role(actor.user, OVERSIGHT) or has_role(actor.user, ADMIN))


def can_perform(actor, complaint, action):
    """May this actor perform this action on this complaint in its current state?
    (Whether the state allows the action at all is the state machine's question.)"""
    state = complaint.state
    system = actor.type == Actor.SYSTEM
    citizen = actor.type == Actor.CITIZEN
    if action == "triage":
        return system or _is_triage(actor)
    if action == "request_info":
        if state == State.SUBMITTED:
            return _is_triage(actor)
        return _is_handler(actor, complaint)
    if action == "reject":
        if state == State.NEEDS_INFO:
            return system
        return _is_triage(actor)
    if action == "mark_duplicate":
        return _is_triage(actor)
    if action in ("provide_info", "confirm", "reopen", "comment", "rate"):
        return citizen
    if action in ("start", "resolve"):
        return _is_handler(actor, complaint)
    if action == "transfer":
        return _is_handler(actor, complaint) or _is_triage(actor)
    if action == "auto_close":
        return system
    if action == "reopen_on_appeal":
        return _is_oversight(actor)
    if action == "recategorise":
        # Changing the category of an abuse-of-power complaint (above all, taking it out of
        # a sensitive category) is the oversight body's decision alone: neither triage nor
        # an administrator may declassify it.
        if complaint.category.sensitive:
            return actor.is_staff_user and has_role(actor.user, OVERSIGHT)
        return _is_triage(actor)
    if action == "approve_summary":
        return _is_triage(actor)
    if action == "assign":
        return _is_handler(actor, complaint)
    if action == "reply":
        return _is_handler(actor, complaint) or (state == State.SUBMITTED and _is_triage(actor))
    if action == "note":
        return actor.is_staff_user and can_view(actor.user, complaint) and (
            _is_handler(actor, complaint) or _is_triage(actor) or _is_oversight(actor)
        )
    if action == "escalate":
        return system
    if action == "reveal_identity":
        return actor.is_staff_user and has_role(actor.user, PRIVACY_OFFICER)
    return False


def oversight_unit_ids():
    return set(Unit.objects.filter(kind=Unit.Kind.OVERSIGHT).values_list("pk", flat=True))

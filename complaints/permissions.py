"""Who may see a complaint and who may perform which action on it.

Global roles are Django groups; unit roles come from routing.Membership (both read in
complaints.roles). Which role may perform which action is declared in the action registry
(complaints.lifecycle.actions, `who=`); `plays` says whether an actor plays a role towards
one complaint. Every view, transition and API call asks these functions; nothing else
decides.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q

from routing.models import Membership

from .lifecycle import actions as registry
from .models import Actor, ApiKey, Event, IdentityMode
from .roles import (ADMIN, OVERSIGHT, PRIVACY_OFFICER, TRIAGE, acts_as_oversight, global_roles, has_role,
                    is_staff_member, is_triage_desk, oversight_unit_ids, unit_roles, visible_q)

__all__ = ["ADMIN", "OVERSIGHT", "PRIVACY_OFFICER", "TRIAGE", "ActorRef", "can_perform", "can_view",
           "duplicate_originals_q", "global_roles", "handles", "has_revealed", "has_role",
           "is_staff_member", "plays", "reads_unmasked", "sensitive_history_reading", "staff_accounts_q",
           "supervises", "unit_roles", "visible_q"]


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
    """Units that see a complaint escalated to level 2: the responsible unit's parent.
    Sensitive complaints escalate to oversight only, never up the line."""
    unit = complaint.responsible_unit
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


def has_revealed(user, complaint):
    """This privacy officer revealed this confidential reporter (an audited event)."""
    return (complaint.identity_mode == IdentityMode.CONFIDENTIAL
            and PRIVACY_OFFICER in global_roles(user)
            and Event.objects.filter(complaint=complaint, action="reveal_identity", actor_user=user).exists())


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
    return visible_q(user) & Q(category__sensitive=complaint.category.sensitive)


# --- actions ------------------------------------------------------------------------
def plays(actor, role, complaint):
    """Whether `actor` plays `role` (a role of the registry) towards `complaint`. Staff
    roles also require that the user may view the complaint."""
    if role == registry.SYSTEM:
        return actor.type == Actor.SYSTEM
    if role == registry.CITIZEN:
        return actor.type == Actor.CITIZEN
    if not actor.is_staff_user or not can_view(actor.user, complaint):
        return False
    user = actor.user
    if role == registry.TRIAGE:
        return is_triage_desk(user)
    if role == registry.HANDLER:
        return handles(user, complaint)
    if role == registry.OVERSIGHT:
        return acts_as_oversight(user)
    if role == registry.OVERSIGHT_OFFICER:
        return has_role(user, OVERSIGHT)
    if role == registry.PRIVACY_OFFICER:
        return has_role(user, PRIVACY_OFFICER)
    if role == registry.VERIFIER:
        # Four eyes: whoever resolved it never verifies (or sends back) their own resolution.
        return supervises(user, complaint) and complaint.resolved_by_id != user.pk
    raise ValueError(f"unknown role {role!r}")


def can_perform(actor, complaint, action):
    """May this actor perform this action on this complaint in its current state? (The
    registry's `who` rules; whether the state allows the action at all is the lifecycle's
    question, engine.state_allows.)"""
    spec = registry.ACTIONS.get(action)
    if spec is None or not spec.performable:
        return False
    return any((not rule.states or complaint.state in rule.states)
               and (rule.when is None or rule.when(complaint)) and plays(actor, rule.role, complaint)
               for rule in spec.who)


def holds_a_role_for(actor, complaint, action):
    """Does this actor play a role the registry names for this action on this complaint,
    whatever its state and conditions? (A page answers "not your action" with 403 when it
    does not, and "not possible now" when it does but can_perform or the state say no.)"""
    spec = registry.ACTIONS.get(action)
    return spec is not None and spec.performable and any(
        plays(actor, rule.role, complaint) for rule in spec.who)

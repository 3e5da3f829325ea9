"""Who a staff user is: global roles (Django groups) and unit roles (memberships), and the
query filters of what they handle and may open.

It imports no model of this app, so the complaint's queryset can use it
(Complaint.objects.visible_to(user)); complaints.permissions builds on it.
"""

from django.db.models import Q

from routing.models import Membership, Unit

TRIAGE = "triage"
OVERSIGHT = "oversight"
PRIVACY_OFFICER = "privacy_officer"
ADMIN = "admin"
GLOBAL_ROLES = (TRIAGE, OVERSIGHT, PRIVACY_OFFICER, ADMIN)


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


def oversight_unit_ids():
    return set(Unit.objects.filter(kind=Unit.Kind.OVERSIGHT).values_list("pk", flat=True))


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
    # An oversight unit placed under a supervised unit in the tree is not supervised
    # through it: abuse-of-power complaints must never reach the line units above it.
    # Only a membership of the oversight unit itself gives access.
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


def is_triage_desk(user):
    """Works at the central verification desk (triage officers and administrators)."""
    return bool({TRIAGE, ADMIN} & global_roles(user))


def acts_as_oversight(user):
    """Performs oversight's actions, e.g. reopening on appeal (oversight and administrators)."""
    return bool({OVERSIGHT, ADMIN} & global_roles(user))


def reads_everything(user):
    """Opens every complaint, personal data withheld (oversight, privacy officers and
    administrators): the oversight pages and audit trails."""
    return bool({OVERSIGHT, PRIVACY_OFFICER, ADMIN} & global_roles(user))


def is_privacy_officer(user):
    return has_role(user, PRIVACY_OFFICER)


def supervised_unit_ids(user):
    """The units the user supervises (directly or below a unit they supervise)."""
    return {unit_id for unit_id, role in unit_roles(user).items() if role == Membership.Role.SUPERVISOR}


def manages_templates(user):
    """Edits response templates on the staff page: administrators (all of them) and
    supervisors (those of their units)."""
    return has_role(user, ADMIN) or bool(supervised_unit_ids(user))


def has_units(user):
    return bool(unit_roles(user))


def intake_role(user):
    """The role under which a staff member files a complaint on a citizen's behalf (phone,
    walk-in, letter), recorded in the filing event; None for anyone else. The triage desk
    (triage officers and administrators) and unit staff take calls, visitors and letters;
    oversight and privacy officers without a unit do not."""
    roles = global_roles(user)
    if TRIAGE in roles:
        return TRIAGE
    if ADMIN in roles:
        return ADMIN
    units = unit_roles(user)
    if not units:
        return None
    return "unit_supervisor" if Membership.Role.SUPERVISOR in units.values() else "unit_officer"


def may_file_on_behalf(user):
    return intake_role(user) is not None


def unit_scope_q(user):
    """Complaints the user handles through unit membership (supervisors: sub-units too),
    plus those escalated to level 2 in a unit directly below one of theirs (never sensitive
    ones: those escalate to oversight only)."""
    unit_ids = list(unit_roles(user))
    return Q(responsible_unit_id__in=unit_ids) | Q(
        escalation_level__gte=2, responsible_unit__parent_id__in=unit_ids,
        category__sensitive=False,
    )


def verifier_q(user):
    """Complaints whose resolution the user may verify (the query form of the registry's
    VERIFIER role, complaints.permissions.plays): a unit they supervise, directly or below,
    and never their own resolution."""
    return Q(responsible_unit_id__in=supervised_unit_ids(user)) & ~Q(resolved_by_id=user.pk)


def visible_q(user):
    """The complaints a staff user may open (the query form of permissions.can_view)."""
    if reads_everything(user):
        return Q()
    q = unit_scope_q(user)
    if has_role(user, TRIAGE):
        q |= Q(category__sensitive=False)
    return q

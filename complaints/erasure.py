"""Erasing a complaint's personal data (UU 27/2022; issue 18 items 3 and 4).

What is erased is what the privacy inventory (config/privacy.py, each app's privacy.py)
declares personal under the rule "complaint", on the complaint and on every model that
links to it (messages, attachments, notifications, and followers or channel handles once
they exist): one declaration, no second list here. A model whose declaration says
`"on_erasure": "delete"` loses its rows (attachments, notifications, access links); the
others have their personal fields emptied. Files of erased file fields are deleted from
storage once the transaction commits.

Kept, because no rule "complaint" covers them: the approved public title and summary, the
category, units, times, states, outcome and rating value, so every dashboard figure stays
the same; staff accounts (rule "account": assignee, read records) stay as they are.

The erasure is an action of the lifecycle ("erase_personal_data"), so engine.perform locks
the row, checks state and permission, and commits the audit event (its data: the reason
code and the counts, never a personal value). Only ended complaints may be erased: an open
one (or one whose appeal is in progress, which is open again) must be withdrawn first.
"""

from django.apps import apps
from django.db import models, transaction
from django.utils.translation import gettext as _, gettext_lazy

from config import privacy

from .lifecycle.engine import Change
from .lifecycle.errors import InvalidArguments
from .models import Complaint

RULE = "complaint"
DELETE = "delete"


class ErasureReason(models.TextChoices):
    """Why personal data was erased: a code, so the audit event holds no free text."""

    RETENTION = "retention", gettext_lazy("the retention period ended")
    REQUEST = "request", gettext_lazy("the data subject asked for erasure")


def erasure_plan():
    """[(model, link, fields, delete_rows)]: for the complaint (link None) and each model
    linking to it (link: the name of its foreign key to Complaint), the personal fields the
    inventory puts under the rule "complaint", and whether its rows go altogether.
    Raises ValueError when a model declares such fields but does not link to a complaint."""
    plan = []
    for label, declaration in sorted(privacy.declarations().items()):
        model = apps.get_model(label)
        fields = tuple(name for name, spec in declaration.get("personal", {}).items() if spec[1] == RULE)
        delete_rows = declaration.get("on_erasure") == DELETE
        if not fields and not delete_rows:
            continue
        if model is Complaint:
            plan.insert(0, (model, None, fields, False))
            continue
        links = [f.name for f in model._meta.get_fields()
                 if f.concrete and f.is_relation and f.many_to_one and f.related_model is Complaint]
        if len(links) != 1:
            raise ValueError(f"{label}: personal data under the rule {RULE!r} but no single link to a complaint")
        plan.append((model, links[0], fields, delete_rows))
    return plan


def _empty(field):
    """The value an erased field gets: NULL where allowed, else its default or nothing."""
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    return ""


def _files_of(rows, fields):
    """The stored files (storage, name) of file fields among `fields` on `rows`."""
    found = []
    for row in rows:
        for name in fields:
            value = getattr(row, name)
            if isinstance(row._meta.get_field(name), models.FileField) and value and value.name:
                found.append((value.storage, value.name))
    return found


def _delete_files_on_commit(files):
    def delete():
        for storage, name in files:
            storage.delete(name)
    transaction.on_commit(delete)


def do_erase_personal_fields(c, *, acting_user, now, reason=None):
    """The handler of the "erase_personal_data" action (engine.perform holds the row lock).
    Empties the personal fields, deletes what must go and marks the complaint erased;
    returns the audit event's data: the reason code and what was erased, as counts."""
    if reason not in ErasureReason.values:
        raise InvalidArguments(_("Choose why the personal data is erased."), {"reason": _("Reason")})
    counts, files = {}, []
    for model, link, fields, delete_rows in erasure_plan():
        if link is None:
            files += _files_of([c], fields)
            for name in fields:
                setattr(c, name, _empty(model._meta.get_field(name)))
            counts["complaint_fields"] = len(fields)
            continue
        rows = model.objects.filter(**{link: c})
        key = model._meta.model_name
        if delete_rows:
            files += _files_of(rows, fields)
            counts[key], _by_model = rows.delete()
        elif fields:
            files += _files_of(rows, fields)
            counts[key] = rows.update(**{name: _empty(model._meta.get_field(name)) for name in fields})
    # Credentials, not personal data: the tracking token no longer opens the complaint.
    c.set_new_token()
    # audit events: erase_event_personal_parts (issue 18 item 2)
    c.personal_data_erased_at = now
    _delete_files_on_commit(files)
    counts = dict(counts, files=len(files))
    c.erased_counts = counts
    return Change(data={"reason": reason, "erased": counts})


def do_erase_personal_data(complaint, *, acting_user, reason):
    """Erase the personal data of an ended complaint (instance or pk) as `acting_user` (an
    ActorRef; the worker's retention is ActorRef.system("retention")), in one transaction
    under the row lock, as the audited action "erase_personal_data". Returns the counts of
    what was erased ({"complaint_fields": n, "message": n, "attachment": n, ..., "files": n}).
    Raises the lifecycle's errors (IllegalTransition for an open complaint, InvalidArguments
    when already erased or for an unknown reason), changing nothing."""
    from .lifecycle.engine import perform

    with transaction.atomic():
        erased = perform(complaint, "erase_personal_data", acting_user, reason=reason)
    return erased.erased_counts

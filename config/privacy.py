"""The inventory of personal data (UU 27/2022, docs/privacy.md), collected from each app's
`privacy.py`.

Each app declares, for each of its models (by label), every concrete field: the personal
ones with their kind and the retention rule that covers them, the others as not personal.
Models that hold no personal data at all may say so with "*"; tests/test_privacy_inventory.py
then refuses any field on them that looks personal (a name, contact, IP, free text, file or
user link). So a new field is either declared or fails the tests, and a personal field
without a rule, or read by a public surface, fails them too.

An app's declaration is plain data (no import), so even `routing` keeps its own:

    INVENTORY = {
        "app.Model": {
            "personal": {"field": ("kind", "rule"), "other": ("kind", "rule", "note")},
            "not_personal": "id created_at ...",   # or "*"
            "published": {"field": "how a public surface shows it"},  # only where one does
            "on_erasure": "delete",  # its rows go when their complaint's data is erased
        },
    }

complaints.erasure erases every personal field under the rule "complaint" (on the complaint
and on the models linking to it) from these declarations: there is no second list.
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps

KINDS = {
    "name": "a person's name",
    "contact": "e-mail address or phone number",
    "account": "a link to a user account (who did or filed something)",
    "ip": "an IP address or browser signature",
    "free_text": "text a person wrote, which may hold anything about anyone",
    "attachment": "a file a person sent (photos, documents)",
    "location": "a place tied to a person's report",
    "handle": "an identifier of a person on another channel (follower, chat handle)",
}

# Retention rules. `enforced` says honestly what removes the data today.
RULES = {
    "complaint": {
        "text": "the complaint's retention period after it is closed (per category; issue 18 item 3)",
        "enforced": "yes: apply_retention (run daily by the worker) erases it (complaints.erasure)",
    },
    "anonymous_receipt": {
        "text": "an anonymous reporter's receipt address: erased once the receipt is sent",
        "enforced": "yes: the outbox erases it after sending (Notification.erase_after_send)",
    },
    "audit_trail": {
        "text": "the facts of the HMAC-chained audit events (actions, states, units, codes, the "
                "acting officer): kept with the complaint's chain",
        "enforced": "never: the facts are the chain's; once it is re-sealed (reseal_audit) they hold "
                    "no citizen's words, and staff names follow the account rule",
    },
    "audit_personal": {
        "text": "the personal part of an audit event (the citizen's and staff's words about the "
                "person), stored apart under a salted commitment: kept like the complaint",
        "enforced": "yes, when erase_event_personal_parts runs (complaints.redaction: retention "
                    "and erasure requests call it); the commitment stays, the salt goes",
    },
    "inbound_mail": {
        "text": "an e-mail that reached the intake address, or an SMS the gateway posted: with its complaint when one took it, "
                "else INTAKE_MAIL_RETENTION_DAYS after it arrived",
        "enforced": "yes: erased with its complaint (InboundMessage rows are deleted), and the "
                    "worker's daily retention pass deletes the others when their days are over",
    },
    "account": {
        "text": "while the account exists; staff accounts are deactivated, not deleted, because audit "
                "events name them; a citizen's account is deleted on request (issue 18 item 4)",
        "enforced": "by the administrator",
    },
    "security_log": {
        "text": "the sign-in security log, evidence of attacks on accounts",
        "enforced": "not yet: kept until the operator prunes it",
    },
    "sign_in_throttle": {
        "text": "failed sign-in counters: cleared on a successful sign-in",
        "enforced": "partly: cleared per account and address on success",
    },
    "oversight": {
        "text": "oversight's own records (systemic issues, early warnings): kept as the institution's files",
        "enforced": "by the administrator",
    },
}


@dataclass(frozen=True)
class Entry:
    model: str
    field: str
    kind: str
    rule: str
    note: str = ""


def declarations():
    """{model label: declaration} from every installed app's `privacy.py`, one owner each."""
    found, owners = {}, {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.privacy")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.privacy":
                raise
            continue
        for label, declaration in getattr(module, "INVENTORY", {}).items():
            if label in found:
                raise ValueError(f"{label} is declared in {owners[label]} and {config.name}")
            found[label], owners[label] = declaration, config.name
    return found


def personal_fields():
    """Every declared personal field, as Entry, in model order."""
    entries = []
    for label, declaration in sorted(declarations().items()):
        for field, spec in declaration.get("personal", {}).items():
            kind, rule, *note = spec
            entries.append(Entry(label, field, kind, rule, note[0] if note else ""))
    return entries


def published_fields():
    """{"label.field"} of the personal fields a public surface may read, to publish them in
    the form the declaration's "published" describes."""
    return {f"{label}.{field}" for label, declaration in declarations().items()
            for field in declaration.get("published", {})}


def personal_names(label):
    return set(declarations().get(label, {}).get("personal", {}))


def problems():
    """What is wrong with the declarations: unknown kinds or rules, fields declared that do not
    exist, fields of a declared model left undeclared."""
    found = []
    for label, declaration in declarations().items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            found.append(f"{label}: no such model")
            continue
        fields = {f.name for f in model._meta.get_fields() if f.concrete}
        personal = declaration.get("personal", {})
        not_personal = declaration.get("not_personal", "")
        for name, spec in personal.items():
            if name not in fields:
                found.append(f"{label}.{name}: declared personal but no such field")
            if len(spec) < 2 or spec[0] not in KINDS:
                found.append(f"{label}.{name}: unknown kind {spec[:1]}")
            elif spec[1] not in RULES:
                found.append(f"{label}.{name}: no retention rule (got {spec[1]!r})")
        if declaration.get("on_erasure", "delete") != "delete":
            found.append(f"{label}: on_erasure must be \"delete\" when given")
        for name in declaration.get("published", {}):
            if name not in personal:
                found.append(f"{label}.{name}: declared published but not personal")
        if not_personal == "*":
            continue
        listed = set(not_personal.split())
        for name in listed - fields:
            found.append(f"{label}.{name}: declared not personal but no such field")
        for name in listed & set(personal):
            found.append(f"{label}.{name}: declared both personal and not personal")
        for name in sorted(fields - listed - set(personal)):
            found.append(f"{label}.{name}: not in the inventory (personal, with its rule, or not personal?)")
    return found

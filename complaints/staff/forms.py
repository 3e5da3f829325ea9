"""What each staff action form posts, and how it becomes the arguments of `perform`.

The forms stay plain HTML in the templates (several small forms per page); this module
is the one place that says which fields an action takes, so that a crafted POST cannot
smuggle other arguments (for example `now` or `auto`) into the transition.
"""

# action -> the POST fields passed on to perform()
ACTION_FIELDS = {
    # Routing takes a unit and nothing to publish: publishing is approve_summary's form.
    "triage": ("unit",),
    "request_info": ("message",),
    "reject": ("reason", "message"),
    "mark_duplicate": ("duplicate_of",),
    "recategorise": ("category", "reason", "subject_unit"),
    "approve_summary": ("public_title", "public_summary", "public_location", "publish_media", "publish"),
    "assign": ("assignee",),
    "start": (),
    "reply": ("body",),
    "note": ("body",),
    "resolve": ("outcome", "summary", "referred_to"),
    "transfer": ("unit", "reason"),
    "reopen_on_appeal": ("reason",),
    "reveal_identity": ("reason",),
}
STAFF_ACTIONS = tuple(ACTION_FIELDS)

class StaleForm(Exception):
    """The form did not say which version of the complaint it was made from."""


def expected(post):
    """(expected_state, expected_version) from a form; both are required so that a
    stale page can never act on a complaint that changed in the meantime."""
    state = (post.get("expected_state") or "").strip()
    version = (post.get("expected_version") or "").strip()
    if not state or not version.isdigit():
        raise StaleForm
    return state, int(version)


def action_args(action, post):
    args = {name: post.get(name, "") for name in ACTION_FIELDS[action]}
    if action == "assign":
        # An empty choice means "unassign" (supervisors only; the transition checks).
        args["assignee"] = args["assignee"] or None
    return args

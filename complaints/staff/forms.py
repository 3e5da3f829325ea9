"""How a staff action form becomes the arguments of `perform`.

The forms stay plain HTML in the templates (complaints/staff/actions/<action>.html); the
fields an action takes are its registry entry's (complaints.lifecycle.actions), so a
crafted POST cannot smuggle other arguments (for example `now` or `auto`) into it.
"""

from ..lifecycle.actions import ACTIONS


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


def action_args(action, post, files=None):
    """The action's arguments from a form; a "photo" field's file goes to the handler,
    which checks it (complaints.uploads) like every other argument."""
    args = {}
    for field in ACTIONS[action].fields:
        if field.kind == "photo":
            args[field.name] = files.get(field.name) if files is not None else None
        elif field.kind != "files":
            args[field.name] = post.get(field.name, "")
    return args

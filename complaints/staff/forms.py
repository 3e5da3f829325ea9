"""How a staff action form becomes the arguments of `perform`.

The forms stay plain HTML in the templates (complaints/staff/actions/<action>.html); the
fields an action takes are its registry entry's (complaints.lifecycle.actions), so a
crafted POST cannot smuggle other arguments (for example `now` or `auto`) into it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from routing.models import Unit

from .. import roles
from ..lifecycle.actions import ACTIONS
from ..models import Outcome, RejectReason, ResponseTemplate


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


class ResponseTemplateForm(forms.ModelForm):
    """The staff page's template form. The model's clean checks placeholders and that the
    outcome or reason belongs to the action; this form limits a supervisor to their units."""

    choice = forms.ChoiceField(label=_("Outcome or reason"), required=False, choices=(
        ("", _("Any")),
        (_("Resolve: outcome"), Outcome.choices),
        (_("Reject: reason"), RejectReason.choices),
    ), help_text=_("Resolve: the outcome it is for. Reject: the reason. Blank: any."))

    class Meta:
        model = ResponseTemplate
        fields = ["name", "action", "choice", "category", "unit", "text_id", "text_en", "active"]
        widgets = {"text_id": forms.Textarea(attrs={"rows": 5}), "text_en": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = self.fields["category"].queryset.filter(active=True).order_by("code")
        units = Unit.objects.filter(active=True).order_by("code")
        if not roles.has_role(user, roles.ADMIN):
            # A supervisor writes for their own units only.
            units = units.filter(pk__in=roles.supervised_unit_ids(user))
            self.fields["unit"].required = True
            self.fields["unit"].help_text = _("One of the units you supervise.")
        self.fields["unit"].queryset = units
        placeholders = ", ".join("{%s}" % name for name in ResponseTemplate.placeholder_names())
        for name in ("text_id", "text_en"):
            self.fields[name].help_text = _("Placeholders: %(names)s. Write {{ or }} for a brace.") % {"names": placeholders}

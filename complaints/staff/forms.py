"""How a staff action form becomes the arguments of `perform`, and the form for filing on
a citizen's behalf (FileOnBehalfForm).

The forms stay plain HTML in the templates (complaints/staff/actions/<action>.html); the
fields an action takes are its registry entry's (complaints.lifecycle.actions), so a
crafted POST cannot smuggle other arguments (for example `now` or `auto`) into it.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from routing.models import Category, Unit

from .. import roles
from ..lifecycle.actions import ACTIONS
from ..lifecycle.errors import InvalidArguments
from ..lifecycle.filing import validate
from ..models import STAFF_CHANNELS, IdentityMode, Outcome, RejectReason, ResponseTemplate


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


# --- filing on a citizen's behalf -------------------------------------------------------

# How far back the day a call, visit or letter came in may lie: a letter found in a drawer
# a year later is still filed, a date from another century is a typing error.
RECEIVED_WITHIN_DAYS = 366


class FileOnBehalfForm(forms.Form):
    """A complaint taken by phone, at the counter or from a letter. The fields are the web
    form's (lifecycle.filing.validate checks them, once) plus the channel, the citizen's
    language and the day it came in."""

    channel = forms.ChoiceField(label=gettext_lazy("How did the report reach us?"),
                                choices=[(c.value, c.label) for c in STAFF_CHANNELS], widget=forms.RadioSelect)
    received_on = forms.DateField(label=gettext_lazy("Received on"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=gettext_lazy("The citizen's language"),
                                 choices=[("id", "Bahasa Indonesia"), ("en", "English")], initial="id")
    identity_mode = forms.ChoiceField(label=gettext_lazy("How does the citizen want to be identified?"),
                                      choices=IdentityMode.choices, initial=IdentityMode.NAMED,
                                      widget=forms.RadioSelect)
    reporter_name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    reporter_email = forms.CharField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    reporter_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=10000, widget=forms.Textarea)
    address = forms.CharField(label=gettext_lazy("Address or place"), max_length=300, required=False)
    area = forms.CharField(label=gettext_lazy("Kelurahan / desa"), max_length=40, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [
            (c.code, c.name) for c in Category.objects.filter(active=True).order_by("code")]

    def clean_received_on(self):
        day = self.cleaned_data.get("received_on")
        today = timezone.localdate()
        if day is not None and not (today - dt.timedelta(days=RECEIVED_WITHIN_DAYS) <= day <= today):
            raise forms.ValidationError(gettext_lazy("Give a day within the last year, not in the future."))
        return day

    def clean(self):
        """The domain's checks (lifecycle.filing.validate), once, so that the form shows
        every problem at the same time; the view files the same data."""
        data = super().clean()
        if self.errors:
            return data
        try:
            validate({**data, "visibility": "private"})
        except InvalidArguments as exc:
            for field, message in exc.errors.items():
                self.add_error(field if field in self.fields else None, message)
        return data

    def filing_data(self):
        data = {name: self.cleaned_data.get(name) for name in (
            "channel", "identity_mode", "reporter_name", "reporter_email", "reporter_phone", "category",
            "title", "description", "address", "area")}
        # Taken over the phone or the counter: private until triage decides to publish a summary.
        data["visibility"] = "private"
        return data

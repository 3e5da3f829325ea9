"""Forms of the citizen side. Validation rules of a complaint live in complaints.lifecycle.filing;
these forms only collect input and map the domain's errors onto their fields."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Area, Level, picker_groups
from routing.models import Category, Unit

from .. import models
from ..lifecycle.actions import ACTIONS, CITIZEN_ACTIONS
from ..lifecycle.errors import InvalidArguments
from ..lifecycle.filing import validate
from ..models import IdentityMode, Kind, State, Visibility
from ..uploads import UploadRejected, clean_upload

IDENTITY_HELP = {
    IdentityMode.NAMED: gettext_lazy("The officers handling your report see your name and contact details."),
    IdentityMode.CONFIDENTIAL: gettext_lazy("Your name is stored but hidden from the unit; only the oversight body's privacy officer can see it."),
    IdentityMode.ANONYMOUS: gettext_lazy("No name, phone or account is stored. An e-mail address, if you give one, is used once to send you the link and then erased."),
}
VISIBILITY_HELP = {
    Visibility.PUBLIC: gettext_lazy("After checking, a summary without personal data appears on the public list."),
    Visibility.PRIVATE: gettext_lazy("Only you and the officers handling it can see the report."),
}


class AccessibleFormMixin:
    """Ties help texts and errors to their inputs (aria-describedby, aria-invalid), so a
    screen reader announces them with the field. Help texts are written in templates under
    the id "<input id>-help" for the fields named in `described`."""

    described = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe()

    def _describe(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = [f"{bound.auto_id}-help"] if name in self.described else []
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self):
        super().full_clean()
        self._describe()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": "image/jpeg,image/png,image/webp,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [item for item in data if item]
        return [data] if data else []


def clean_attachment_list(files):
    """Check and clean every chosen file; one message per refused file, naming it."""
    files = files or []
    limit = settings.ATTACHMENT_MAX_FILES
    if len(files) > limit:
        raise forms.ValidationError(
            _("Attach at most %(n)d files; you chose %(m)d.") % {"n": limit, "m": len(files)})
    cleaned, problems = [], []
    for uploaded in files:
        try:
            cleaned.append(clean_upload(uploaded))
        except UploadRejected as exc:
            problems.append(exc.message)
    if problems:
        problems.append(_("Your other answers are kept; choose the files again."))
        raise forms.ValidationError(problems)
    return cleaned


def area_groups():
    """The city's areas for the picker: [(kecamatan, [kelurahan/desa])]; empty when none
    are loaded (the form then shows no picker)."""
    return picker_groups()


def map_config():
    """What static/citizen/map.js needs, given to the page as a JSON data block (no inline
    script): where the map opens, the tile server if any, the service area (the pin stays
    inside it) and the kecamatan outlines (GeoJSON), drawn when there are no tiles to read."""
    box = settings.SERVICE_AREA_BBOX
    outlines = [area.boundary for area in Area.objects.filter(level=Level.KECAMATAN, boundary__isnull=False)]
    return {
        "center": list(settings.MAP_CENTER), "zoom": settings.MAP_ZOOM,
        "tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION,
        "bounds": [[box[0], box[1]], [box[2], box[3]]] if box else None,
        "outlines": outlines,
    }


def category_groups():
    """Active categories grouped by their default unit, for a <select> with <optgroup>s."""
    categories = Category.objects.filter(active=True).select_related("default_unit")
    groups = {}
    for category in sorted(categories, key=lambda c: (c.default_unit.name, c.name)):
        groups.setdefault(category.default_unit, []).append(category)
    return list(groups.items())


class ComplaintForm(AccessibleFormMixin, forms.Form):
    described = ("category", "description", "attachments", "latitude", "reporter_email", "title")

    category = forms.CharField(label=gettext_lazy("Category"))
    kind = forms.ChoiceField(label=gettext_lazy("What kind of report is it?"), choices=Kind.choices,
                             initial=Kind.COMPLAINT, widget=forms.RadioSelect)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea,
                                  required=False)
    address = forms.CharField(label=gettext_lazy("Address or place"), max_length=300,
                              required=False)
    area = forms.CharField(label=gettext_lazy("Kelurahan / desa"), required=False, max_length=40)
    latitude = forms.CharField(label=gettext_lazy("Latitude"), required=False, max_length=20)
    longitude = forms.CharField(label=gettext_lazy("Longitude"), required=False, max_length=20)
    attachments = MultipleFileField(label=gettext_lazy("Photos or documents"), required=False)
    identity_mode = forms.ChoiceField(label=gettext_lazy("How do you want to be identified?"),
                                      choices=IdentityMode.choices, initial=IdentityMode.NAMED,
                                      widget=forms.RadioSelect)
    reporter_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200, required=False)
    reporter_email = forms.CharField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    reporter_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    visibility = forms.ChoiceField(label=gettext_lazy("Who may see the report?"),
                                   choices=Visibility.choices, initial=Visibility.PUBLIC,
                                   widget=forms.RadioSelect)
    # Honeypot: hidden from people (and from screen readers); bots fill it in.
    website = forms.CharField(required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_attachments(self):
        return clean_attachment_list(self.cleaned_data.get("attachments"))

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def clean(self):
        """The domain's validation (lifecycle.filing.validate), once: its Submission is what
        the view files."""
        data = super().clean()
        try:
            self.submission = validate({**data, "category": data.get("category", ""), "channel": "web"})
        except InvalidArguments as exc:
            for field, message in exc.errors.items():
                self.add_error(field if field in self.fields else None, message)
        return data


class TrackForm(AccessibleFormMixin, forms.Form):
    described = ("code", "token")
    code = forms.CharField(label=gettext_lazy("Tracking code"), max_length=20)
    token = forms.CharField(label=gettext_lazy("Secret key"), max_length=100)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    # The last tracking code of the page before (the list pages by cursor, never counts).
    after = forms.CharField(required=False, max_length=13, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["category"].choices = every + [
            (c.code, c.name) for c in Category.objects.filter(active=True, sensitive=False)]
        self.fields["unit"].choices = every + [
            (u.code, u.name) for u in Unit.objects.filter(active=True).exclude(kind=Unit.Kind.OVERSIGHT)]
        self.fields["status"].choices = every + [
            (s.value, s.label) for s in State if s not in (State.REJECTED, State.DUPLICATE, State.WITHDRAWN)]


class SignupForm(AccessibleFormMixin, forms.Form):
    # Whether the address has an account is never checked here: the answer would tell.
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=150)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AccountPasswordForm(AccessibleFormMixin, forms.Form):
    """The password of the account a sign-up link creates."""

    password1 = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput,
                                strip=False)
    password2 = forms.CharField(label=gettext_lazy("Password again"), widget=forms.PasswordInput,
                                strip=False)

    def __init__(self, email, *args, **kwargs):
        self.email = email  # before the mixin's __init__, which already validates
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            User = get_user_model()
            try:
                password_validation.validate_password(p1, User(username=self.email, email=self.email))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


# --- actions on the tracking page ------------------------------------------------------
RATING_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


def _form_field(spec):
    """The Django form field of a registry Field (complaints.lifecycle.actions)."""
    options = {"label": spec.label, "required": spec.required}
    if spec.kind == "files":
        return MultipleFileField(**options)
    if spec.kind == "checkbox":
        return forms.BooleanField(label=spec.label, required=False)
    if spec.kind == "choice":
        choices = RATING_CHOICES if spec.choices == "rating" else getattr(models, spec.choices).choices
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
    widget = forms.Textarea if spec.kind == "textarea" else forms.TextInput
    return forms.CharField(widget=widget, max_length=spec.max_length, **options)


class _ActionForm(AccessibleFormMixin, forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    expected_version = forms.CharField(widget=forms.HiddenInput)

    def clean_attachments(self):
        return clean_attachment_list(self.cleaned_data.get("attachments"))


def action_form(name):
    """The tracking page's form for a citizen action, made from its registry entry."""
    action = ACTIONS[name]
    fields = {spec.name: _form_field(spec) for spec in action.fields}
    return type(f"{name.title().replace('_', '')}Form", (_ActionForm,), fields)


ACTION_FORMS = {name: action_form(name) for name in CITIZEN_ACTIONS}

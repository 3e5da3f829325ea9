"""The user admin lists, searches and opens staff accounts only.

Citizens' accounts are named by their e-mail address, and an account may be the one link
to a confidential reporter, so the admin treats them like the staff pages do: they
appear nowhere (not in the list, a search, an autocomplete, a change, history or password
page). A staff account is created here with its role, a group or a unit, so that it is a
staff account from its first page on (complaints.permissions.staff_accounts_q)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from routing.models import Membership, Unit

from .permissions import staff_accounts_q


class StaffAccountCreationForm(AdminUserCreationForm):
    groups = forms.ModelMultipleChoiceField(
        label=_("Global roles"), queryset=Group.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.filter(active=True),
                                  required=False)
    unit_role = forms.ChoiceField(label=_("Role in the unit"), choices=Membership.Role.choices,
                                  initial=Membership.Role.OFFICER)

    def clean(self):
        data = super().clean()
        if not data.get("groups") and not data.get("unit"):
            raise forms.ValidationError(_(
                "Give the account a global role or a unit: the admin manages staff accounts "
                "only (citizens create their own accounts by signing up)."))
        return data


class StaffAccountAdmin(UserAdmin):
    add_form = StaffAccountCreationForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": (
        "username", "usable_password", "password1", "password2", "groups", "unit", "unit_role")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(staff_accounts_q())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            user, data = form.instance, form.cleaned_data
            user.groups.set(data["groups"])
            if data["unit"] is not None:
                Membership.objects.create(user=user, unit=data["unit"], role=data["unit_role"])


admin.site.unregister(User)
admin.site.register(User, StaffAccountAdmin)

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "text", "autofocus": True}))

    def clean_code(self):
        # People type codes with spaces or dashes as shown; the devices want the bare code.
        return "".join(ch for ch in self.cleaned_data["code"] if ch.isalnum()).lower()

"""The report form warns beside the free-text fields that confidential and anonymous
reporters should not type their name or contact details (issue 11, "Also"); the sentence
is one declaration (complaints.models.FREE_TEXT_IDENTITY_WARNING) that other steps reuse."""

import html as html_lib

import pytest
from django.utils import translation

from complaints.models import FREE_TEXT_IDENTITY_WARNING


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_report_form_warns_beside_the_description_and_the_address(client, city, language):
    client.cookies["django_language"] = language
    page = html_lib.unescape(client.get("/report/").content.decode())
    with translation.override(language):
        warning = str(FREE_TEXT_IDENTITY_WARNING)
    assert page.count(warning) == 2
    # Right after the description field, and right after the address field.
    assert page.index('name="description"') < page.index('id="description-identity-warning"') < page.index('name="address"')
    assert page.index('name="address"') < page.index('id="address-identity-warning"') < page.index('name="latitude"')


def test_the_warning_is_translated():
    with translation.override("en"):
        english = str(FREE_TEXT_IDENTITY_WARNING)
    with translation.override("id"):
        indonesian = str(FREE_TEXT_IDENTITY_WARNING)
    assert "e-mail" in english and indonesian != english

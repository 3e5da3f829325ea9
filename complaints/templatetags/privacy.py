"""Template access to the privacy texts declared once in complaints.models."""

from django import template

from ..models import FREE_TEXT_IDENTITY_WARNING

register = template.Library()


@register.simple_tag
def free_text_identity_warning():
    """The warning shown beside free-text fields: confidential and anonymous reporters
    should not type their name or contact details into the text."""
    return FREE_TEXT_IDENTITY_WARNING

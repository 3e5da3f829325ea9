"""Absolute links for messages that leave the site (e-mails, chat, SMS), built in one place
from SITE_URL, the public base URL (pages build relative links with `reverse`)."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path):
    """SITE_URL + a path that starts with "/"."""
    return settings.SITE_URL + path


def absolute_reverse(viewname, args=None, kwargs=None):
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))


def staff_complaint_url(complaint):
    """The staff page of a complaint (alerts to staff name no citizen data, only this)."""
    return absolute_reverse("staff:complaint", args=[complaint.tracking_code])

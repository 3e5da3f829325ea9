from .permissions import is_staff_member


def navigation(request):
    """Whether to show the staff link in the header (cheap: roles are cached per user)."""
    user = getattr(request, "user", None)
    return {"nav_is_staff": bool(user and user.is_authenticated and is_staff_member(user))}

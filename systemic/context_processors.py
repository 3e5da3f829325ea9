from django.utils.functional import SimpleLazyObject


def nav(request):
    """``nav_systemic`` for the staff layout: oversight, and units holding an issue. Lazy, so
    pages that never show the staff navigation pay no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_systemic": False}

    def allowed():
        from .issues import has_systemic_access

        return has_systemic_access(user)

    return {"nav_systemic": SimpleLazyObject(allowed)}

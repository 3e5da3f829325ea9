"""Where filing meets routing: the classifier's suggestions and automatic routing.

Sensitive complaints go straight to oversight by rule, never by the classifier. The ML
suggestion (ml.router) is consulted here; without a model there is simply no suggestion.
"""

import logging

from django.conf import settings

from ml.text import complaint_text

log = logging.getLogger(__name__)


def suggest_for(complaint):
    """Top units [[code, probability], ...] for a new complaint (empty without a model)."""
    category = complaint.category
    if category.sensitive:
        from .lifecycle.handlers import routed_unit

        return [[routed_unit(complaint, category.default_unit).code, 1.0]]
    try:
        from ml import router
    except ImportError:
        return []
    try:
        from routing.models import Unit

        allowed = set(Unit.objects.filter(active=True).exclude(kind=Unit.Kind.OVERSIGHT)
                      .values_list("code", flat=True))
        text = complaint_text(complaint.title, complaint.description)
        return [[code, round(float(p), 4)]
                for code, p in router.suggest(text, allowed_labels=allowed, k=3)]
    except Exception:  # a broken model must never break filing
        log.warning("routing suggestion failed", exc_info=True)
        return []


def automatic_actions(complaint):
    """Transitions the system performs right after filing (inside the same transaction)."""
    category = complaint.category
    if category.sensitive:
        from .lifecycle.handlers import routed_unit

        return [("triage", {"unit": routed_unit(complaint, category.default_unit), "auto": True})]
    threshold = auto_route_threshold()
    if threshold is not None and complaint.suggested_units:
        code, probability = complaint.suggested_units[0]
        if probability >= threshold:
            return [("triage", {"unit": code, "auto": True})]
    return []


def auto_route_threshold():
    """The confidence at or above which a new complaint is routed without triage, or None.

    ROUTER_AUTO_ROUTE_THRESHOLD is a fixed confidence; ROUTER_AUTO_ROUTE_PRECISION (e.g.
    0.95) asks for the threshold the active model version measured out of sample for that
    precision. With both set the higher (stricter) threshold applies; a precision the model
    never reached turns auto-routing off.
    """
    fixed = getattr(settings, "ROUTER_AUTO_ROUTE_THRESHOLD", None)
    precision = getattr(settings, "ROUTER_AUTO_ROUTE_PRECISION", None)
    candidates = [float(fixed)] if fixed else []
    if precision:
        try:
            from ml import router
        except ImportError:
            return None
        measured = router.threshold_for_precision(float(precision))
        if measured is None:
            return None
        candidates.append(measured)
    return max(candidates) if candidates else None

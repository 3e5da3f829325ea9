"""Possible duplicates of a complaint: open complaints of the last 30 days in the same
category or filed nearby, ranked by text similarity (ml.similar)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from ml.similar import rank

from .models import OPEN_STATES, Complaint

WINDOW = dt.timedelta(days=30)
# About 500 m in latitude; close enough in longitude near the equator.
NEARBY_DEGREES = Decimal("0.0045")
MAX_CANDIDATES = 300


def similar_open_complaints(complaint, limit=5):
    """[(complaint, score)], most similar first."""
    near = Q(category_id=complaint.category_id)
    if complaint.latitude is not None and complaint.longitude is not None:
        lat, lng = Decimal(str(complaint.latitude)), Decimal(str(complaint.longitude))
        near |= Q(latitude__range=(lat - NEARBY_DEGREES, lat + NEARBY_DEGREES),
                  longitude__range=(lng - NEARBY_DEGREES, lng + NEARBY_DEGREES))
    candidates = list(
        Complaint.objects.filter(near, state__in=OPEN_STATES,
                                 submitted_at__gte=complaint.submitted_at - WINDOW,
                                 submitted_at__lte=complaint.submitted_at + WINDOW)
        .exclude(pk=complaint.pk)
        .select_related("category", "responsible_unit")
        .order_by("-submitted_at")[:MAX_CANDIDATES]
    )
    by_pk = {c.pk: c for c in candidates}
    ranked = rank(f"{complaint.title}\n{complaint.description}",
                  [(c.pk, f"{c.title}\n{c.description}") for c in candidates], limit=limit)
    return [(by_pk[pk], score) for pk, score in ranked]

"""Possible duplicates of complaints: open complaints filed within 30 days in the same
category or nearby, ranked by text similarity (ml.similar). One implementation for the
triage queue (a page of complaints at once) and the complaint page."""

import copy
import datetime as dt
from decimal import Decimal

from django.db.models import Q

from ml.similar import rank_many
from ml.text import complaint_text

from .models import OPEN_STATES, Complaint

WINDOW = dt.timedelta(days=30)
# About 500 m of latitude; longitude degrees are a little shorter near the equator, which
# is good enough for "possibly the same pothole".
NEARBY_DEGREES = Decimal("0.0045")
MAX_CANDIDATES = 2000  # read at most, for a whole page of complaints
MAX_RANKED = 60  # compared by text, per complaint (the most recent matches)


def _dec(value):
    # Coordinates are Decimals from the database but may be floats on a fresh instance.
    return Decimal(str(value))


def similar_for(complaints, within=None, limit=5):
    """{complaint pk: [other complaint, …]} most similar first, each with `.score` and
    `.nearby`. `within` (a queryset) limits the candidates, e.g. to what a staff user may
    see (Complaint.objects.visible_to(user)).
    Two queries at most, whatever the number of complaints."""
    if not complaints:
        return {}
    match = Q(category_id__in={c.category_id for c in complaints})
    located = [c for c in complaints if c.latitude is not None and c.longitude is not None]
    if located:
        lats, lngs = [_dec(c.latitude) for c in located], [_dec(c.longitude) for c in located]
        match |= Q(latitude__gte=min(lats) - NEARBY_DEGREES, latitude__lte=max(lats) + NEARBY_DEGREES,
                   longitude__gte=min(lngs) - NEARBY_DEGREES, longitude__lte=max(lngs) + NEARBY_DEGREES)
    candidates = list(
        (Complaint.objects.all() if within is None else within).filter(match, state__in=OPEN_STATES,
                                 submitted_at__gte=min(c.submitted_at for c in complaints) - WINDOW,
                                 submitted_at__lte=max(c.submitted_at for c in complaints) + WINDOW)
        .only("pk", "tracking_code", "title", "description", "category_id", "submitted_at",
              "latitude", "longitude", "state")
        .order_by("-submitted_at")[:MAX_CANDIDATES]
    )
    # Each candidate's fields read once (model attribute access was most of the time of
    # the 50 × 2,000 comparisons), coordinates as Decimals once, not once per pair.
    def fields(o):
        located = o.latitude is not None and o.longitude is not None
        return o.pk, o.submitted_at, o.category_id, (_dec(o.latitude), _dec(o.longitude)) if located else None

    pool = [(o, *fields(o)) for o in candidates]

    def near(a, b):
        return a is not None and b is not None and all(abs(x - y) <= NEARBY_DEGREES for x, y in zip(a, b))

    found_matches, queries = [], []
    for c in complaints:
        c_pk, c_submitted, c_category, c_coords = fields(c)
        matches = {}
        for other, pk, submitted, category_id, coords in pool:
            if pk == c_pk or abs(submitted - c_submitted) > WINDOW:
                continue
            nearby = near(c_coords, coords)
            if nearby or category_id == c_category:
                matches[pk] = (other, nearby)
                if len(matches) >= MAX_RANKED:
                    break
        found_matches.append(matches)
        queries.append((complaint_text(c.title, c.description),
                        [(pk, complaint_text(o.title, o.description)) for pk, (o, _n) in matches.items()]))
    result = {}
    # One ranking for the page: each text analysed once (ml.similar.rank_many).
    for c, matches, ranked in zip(complaints, found_matches, rank_many(queries, limit=limit)):
        found = []
        for pk, score in ranked:
            other, nearby = matches[pk]
            # A copy per target: one candidate may be similar to several complaints.
            other = copy.copy(other)
            other.score, other.nearby = score, nearby
            found.append(other)
        result[c.pk] = found
    return result


def similar_open_complaints(complaint, limit=5):
    """[(complaint, score)], most similar first, for one complaint."""
    return [(other, other.score) for other in similar_for([complaint], limit=limit)[complaint.pk]]

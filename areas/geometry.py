"""Area boundaries: checking GeoJSON geometries and point-in-polygon, in plain Python.

Point-in-polygon is the only geometric question Aduan asks at run time (which kelurahan
holds this point), for a few dozen candidate areas left after the bounding-box prefilter
(Area.locate), so an even-odd ray cast over the rings is enough and adds no native
dependency (GEOS) to the deployment. Coordinates are GeoJSON's: [longitude, latitude].
"""

import math

MAX_VERTICES = 200_000  # per geometry: a kelurahan boundary has hundreds, a sloppy export thousands


class BadGeometry(ValueError):
    pass


def _position(value):
    if (not isinstance(value, (list, tuple)) or len(value) < 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value[:2])):
        raise BadGeometry("a position must be [longitude, latitude] numbers")
    lng, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
        raise BadGeometry("a position is outside longitude -180..180, latitude -90..90")
    return [lng, lat]


def _ring(value):
    if not isinstance(value, (list, tuple)):
        raise BadGeometry("a ring must be a list of positions")
    ring = [_position(p) for p in value]
    if len(ring) < 4:
        raise BadGeometry("a ring needs at least 4 positions")
    if ring[0] != ring[-1]:
        raise BadGeometry("a ring must end where it starts")
    return ring


def _polygon(value):
    if not isinstance(value, (list, tuple)) or not value:
        raise BadGeometry("a polygon must be a non-empty list of rings")
    return [_ring(r) for r in value]


def clean(geometry):
    """A checked copy of a GeoJSON Polygon or MultiPolygon geometry, as a MultiPolygon
    (so that every stored boundary has one shape); BadGeometry says what is wrong."""
    if not isinstance(geometry, dict):
        raise BadGeometry("a geometry must be an object")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [_polygon(coordinates)]
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, (list, tuple)) or not coordinates:
            raise BadGeometry("a MultiPolygon needs at least one polygon")
        polygons = [_polygon(p) for p in coordinates]
    else:
        raise BadGeometry("the geometry must be a Polygon or a MultiPolygon")
    if sum(len(r) for p in polygons for r in p) > MAX_VERTICES:
        raise BadGeometry("the geometry has too many positions")
    return {"type": "MultiPolygon", "coordinates": polygons}


def bbox(geometry):
    """(min_lat, max_lat, min_lng, max_lng) of a cleaned geometry."""
    lngs = [p[0] for polygon in geometry["coordinates"] for ring in polygon for p in ring]
    lats = [p[1] for polygon in geometry["coordinates"] for ring in polygon for p in ring]
    return min(lats), max(lats), min(lngs), max(lngs)


def _inside_ring(ring, x, y):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry, latitude, longitude):
    """Whether the point lies in the cleaned geometry: in a polygon's outer ring and in
    none of its holes (even-odd rule)."""
    x, y = float(longitude), float(latitude)
    for polygon in geometry["coordinates"]:
        if _inside_ring(polygon[0], x, y) and not any(_inside_ring(h, x, y) for h in polygon[1:]):
            return True
    return False

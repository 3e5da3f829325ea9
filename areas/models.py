"""Administrative areas of the city: kecamatan (district) and, within each, kelurahan or
desa (urban or rural village), loaded from the city's list (manage.py load_areas).

Like `routing`, this app is a ground floor: it imports no other app of Aduan. Complaints
point to an area (complaints.Complaint.area); the early warning counts per kecamatan.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import geometry


class Level(models.TextChoices):
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    DESA = "desa", _("Village (desa)")


VILLAGE_LEVELS = (Level.KELURAHAN, Level.DESA)


class Area(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # A kecamatan has no parent; a kelurahan or desa lies in one kecamatan.
    parent = models.ForeignKey("self", verbose_name=_("kecamatan"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    # The boundary as a GeoJSON MultiPolygon ([longitude, latitude]), checked by
    # areas.geometry.clean; empty when the city's list came without boundaries.
    boundary = models.JSONField(null=True, blank=True)
    # The boundary's bounding box: the cheap prefilter before point-in-polygon.
    min_lat = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        if self.parent_id:
            return f"{self.name}, {self.parent.name}"
        return self.name

    @property
    def is_kecamatan(self):
        return self.level == Level.KECAMATAN

    @property
    def kecamatan_id(self):
        """The kecamatan an area counts for (itself, or the one it lies in)."""
        return self.pk if self.is_kecamatan else self.parent_id

    def set_boundary(self, value):
        """Store a GeoJSON geometry (checked; BadGeometry when malformed) and its box."""
        if value is None:
            self.boundary = None
            self.min_lat = self.max_lat = self.min_lng = self.max_lng = None
            return
        self.boundary = geometry.clean(value)
        self.min_lat, self.max_lat, self.min_lng, self.max_lng = geometry.bbox(self.boundary)

    def contains(self, latitude, longitude):
        return bool(self.boundary) and geometry.contains(self.boundary, latitude, longitude)

    @classmethod
    def locate(cls, latitude, longitude):
        """The most precise area whose boundary holds the point (a kelurahan/desa before
        its kecamatan), or None."""
        lat, lng = float(latitude), float(longitude)
        candidates = cls.objects.filter(min_lat__lte=lat, max_lat__gte=lat, min_lng__lte=lng, max_lng__gte=lng)
        found = [area for area in candidates.select_related("parent") if area.contains(lat, lng)]
        found.sort(key=lambda a: (a.is_kecamatan, a.code))
        return found[0] if found else None

    @classmethod
    def find(cls, value):
        """An area from an Area or its code; None when there is no such area."""
        if isinstance(value, cls):
            return value
        code = (value or "").strip() if isinstance(value, str) else ""
        if not code or "\x00" in code:
            return None
        return cls.objects.filter(code=code).select_related("parent").first()

    @classmethod
    def within_kecamatan_q(cls, kecamatan_id, field="area"):
        """Complaints of a kecamatan: in it or in one of its villages (an IN over the
        indexed complaint.area_id rather than an expression no index serves)."""
        members = cls.objects.filter(Q(pk=kecamatan_id) | Q(parent_id=kecamatan_id)).values("pk")
        return Q(**{f"{field}__in": members})


def picker_groups():
    """[(kecamatan, [its villages])] by name: the area <select>'s <optgroup>s."""
    areas = list(Area.objects.select_related("parent"))
    villages = {}
    for area in areas:
        if not area.is_kecamatan:
            villages.setdefault(area.parent_id, []).append(area)
    return [(k, villages.get(k.pk, [])) for k in areas if k.is_kecamatan]


def in_service_area(latitude, longitude):
    """Whether a point lies in the area the service covers (settings.SERVICE_AREA_BBOX,
    south/west/north/east inclusive); always true when none is configured."""
    box = settings.SERVICE_AREA_BBOX
    if not box:
        return True
    south, west, north, east = box
    return south <= latitude <= north and west <= longitude <= east

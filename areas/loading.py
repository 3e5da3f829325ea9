"""Loading a city's areas from its CSV list and GeoJSON boundaries (manage.py load_areas).

Everything is checked before anything is written, and written in one transaction: bad
input raises AreaFileError with every problem found and changes nothing. Loading is
idempotent: an area is found by its code and updated; areas missing from the list are
kept (complaints point to them).
"""

import csv
import io
import json

from django.db import transaction

from .geometry import BadGeometry, clean
from .models import VILLAGE_LEVELS, Area, Level

COLUMNS = ("code", "name", "level", "parent_code")
MAX_PROBLEMS = 20


class AreaFileError(Exception):
    def __init__(self, problems):
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more"] if more else [])))
        self.problems = problems


def _text(raw, what):
    if "\x00" in raw:
        raise AreaFileError([f"{what}: contains a NUL byte"])
    return raw


def read_csv(text):
    """[{code, name, level, parent_code}] from the CSV text, or AreaFileError."""
    text = _text(text, "the CSV file").lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise AreaFileError([f"the CSV file needs the columns {', '.join(COLUMNS)}; missing: {', '.join(missing)}"])
    rows, problems, seen = [], [], {}
    for line, row in enumerate(reader, start=2):
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        code, name, level, parent = values["code"], values["name"], values["level"].lower(), values["parent_code"]
        where = f"line {line}"
        if not code:
            problems.append(f"{where}: the code is empty")
            continue
        if len(code) > 40 or len(name) > 120:
            problems.append(f"{where}: the code (at most 40 characters) or name (at most 120) is too long")
        if not name:
            problems.append(f"{where}: area {code} has no name")
        if level not in Level.values:
            problems.append(f"{where}: area {code} has level {level!r}; use one of {', '.join(Level.values)}")
        if code in seen:
            problems.append(f"{where}: the code {code} is already used on line {seen[code]}")
        seen.setdefault(code, line)
        if level == Level.KECAMATAN and parent:
            problems.append(f"{where}: kecamatan {code} cannot have a parent")
        if level in VILLAGE_LEVELS and not parent:
            problems.append(f"{where}: {level} {code} needs the code of its kecamatan in parent_code")
        rows.append({"code": code, "name": name, "level": level, "parent_code": parent, "line": line})
    if not rows and not problems:
        problems.append("the CSV file lists no areas")
    if problems:
        raise AreaFileError(problems)
    return rows


def read_geojson(text):
    """{code: cleaned geometry} from a GeoJSON FeatureCollection whose features carry
    their area's code in properties.code, or AreaFileError."""
    text = _text(text, "the GeoJSON file")
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise AreaFileError([f"the GeoJSON file is not valid JSON: {exc}"]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        raise AreaFileError(["the GeoJSON file must be a FeatureCollection with a list of features"])
    boundaries, problems = {}, []
    for i, feature in enumerate(document["features"], start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("code") if isinstance(properties, dict) else None
        code = str(code).strip() if isinstance(code, (str, int)) else ""
        if "\x00" in code:
            problems.append(f"feature {i}: its code contains a NUL byte")
            continue
        where = f"feature {i}" + (f" ({code})" if code else "")
        if not code:
            problems.append(f"{where}: no properties.code naming its area")
            continue
        if code in boundaries:
            problems.append(f"{where}: a second boundary for {code}")
            continue
        try:
            boundaries[code] = clean(feature.get("geometry"))
        except BadGeometry as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise AreaFileError(problems)
    return boundaries


def load(csv_text, geojson_text=None):
    """Check and load; returns {"created": n, "updated": n, "boundaries": n}."""
    rows = read_csv(csv_text)
    boundaries = read_geojson(geojson_text) if geojson_text is not None else {}
    listed = {r["code"]: r for r in rows}
    problems = [f"the boundary of {code} has no area of that code in the CSV file"
                for code in boundaries if code not in listed]
    existing = {a.code: a for a in Area.objects.all()}
    for row in rows:
        parent = row["parent_code"]
        if not parent:
            continue
        level = listed[parent]["level"] if parent in listed else (
            existing[parent].level if parent in existing else None)
        if level is None:
            problems.append(f"line {row['line']}: the parent {parent} of {row['code']} is not a known area")
        elif level != Level.KECAMATAN:
            problems.append(f"line {row['line']}: the parent {parent} of {row['code']} is not a kecamatan")
    if problems:
        raise AreaFileError(problems)
    counts = {"created": 0, "updated": 0, "boundaries": len(boundaries)}
    with transaction.atomic():
        saved = {}
        # Kecamatan first, so that every village's parent exists when it is saved.
        for row in sorted(rows, key=lambda r: r["level"] != Level.KECAMATAN):
            area = existing.get(row["code"]) or Area(code=row["code"])
            counts["updated" if area.pk else "created"] += 1
            area.name, area.level = row["name"], row["level"]
            parent = row["parent_code"]
            area.parent = (saved.get(parent) or existing.get(parent)) if parent else None
            if row["code"] in boundaries:
                area.set_boundary(boundaries[row["code"]])
            area.save()
            saved[area.code] = area
        # An area kept from an earlier list may still name as parent one that is no
        # longer a kecamatan; the tree must stay two levels.
        broken = Area.objects.exclude(parent=None).exclude(parent__level=Level.KECAMATAN).values_list("code", flat=True)
        if broken:
            raise AreaFileError([f"area {code} would lie in an area that is no longer a kecamatan"
                                 for code in broken])
        nested = Area.objects.filter(level=Level.KECAMATAN).exclude(parent=None).values_list("code", flat=True)
        if nested:
            raise AreaFileError([f"kecamatan {code} cannot have a parent" for code in nested])
    return counts

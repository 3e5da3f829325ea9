"""Regenerate the demo city's area list and boundaries from its streets
(complaints/management/demo_data.py): python areas/data/make_sukamaju.py

Kota Sukamaju is fictional, so its boundaries are made up: each street's Voronoi cell
(the part of the city nearer to it than to any other street), clipped to the city's box;
a kelurahan is the cells of its streets (a MultiPolygon), a kecamatan those of its
kelurahan. Every street's point therefore lies in its own kelurahan and kecamatan, and
no two kelurahan overlap. Codes follow the Kemendagri pattern of a made-up city 99.99.
"""

import csv
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from complaints.management.demo_data import STREETS  # noqa: E402

MARGIN = 0.012  # degrees around the outermost streets (about 1.3 km)


def clip(polygon, a, b, c):
    """Keep the part of a convex polygon where a*x + b*y <= c (Sutherland-Hodgman)."""
    out = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def cell(i, points, box):
    x0, y0 = points[i]
    polygon = box
    for j, (x1, y1) in enumerate(points):
        if j != i:  # nearer to i than to j: the half-plane of the bisector
            polygon = clip(polygon, 2 * (x1 - x0), 2 * (y1 - y0), x1 * x1 + y1 * y1 - x0 * x0 - y0 * y0)
    ring = [[round(x, 5), round(y, 5)] for x, y in polygon]
    return [ring + [ring[0]]]


def main():
    points = [(s["lng"], s["lat"]) for s in STREETS]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box = [(min(xs) - MARGIN, min(ys) - MARGIN), (max(xs) + MARGIN, min(ys) - MARGIN),
           (max(xs) + MARGIN, max(ys) + MARGIN), (min(xs) - MARGIN, max(ys) + MARGIN)]
    kecamatan = sorted({s["kecamatan"] for s in STREETS})
    kec_code = {name: f"99.99.{i:02d}" for i, name in enumerate(kecamatan, start=1)}
    kelurahan = sorted({(s["kecamatan"], s["kelurahan"]) for s in STREETS})
    kel_code = {}
    for kec in kecamatan:
        for n, (_k, kel) in enumerate([k for k in kelurahan if k[0] == kec], start=1):
            kel_code[kel] = f"{kec_code[kec]}.{1000 + n}"
    cells = {}
    for i, street in enumerate(STREETS):
        cells.setdefault(kel_code[street["kelurahan"]], []).append(cell(i, points, box))
        cells.setdefault(kec_code[street["kecamatan"]], []).append(cell(i, points, box))
    with open(HERE / "sukamaju.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent_code"])
        for kec in kecamatan:
            writer.writerow([kec_code[kec], kec, "kecamatan", ""])
        for kec, kel in kelurahan:
            writer.writerow([kel_code[kel], kel, "kelurahan", kec_code[kec]])
    features = [{"type": "Feature", "properties": {"code": code},
                 "geometry": {"type": "MultiPolygon", "coordinates": polygons}}
                for code, polygons in sorted(cells.items())]
    with open(HERE / "sukamaju.geojson", "w", encoding="utf-8") as handle:
        json.dump({"type": "FeatureCollection", "features": features}, handle, separators=(",", ":"))
        handle.write("\n")


if __name__ == "__main__":
    main()

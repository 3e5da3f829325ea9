"""manage.py load_areas: a good list loads and reloads without duplicates; each kind of
bad input is a clear CommandError that changes nothing; the demo city's boundaries hold
every demo street in its own kelurahan."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from areas import geometry
from areas.models import Area
from complaints.management.demo_data import STREETS

from ..conftest import box

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "areas" / "data"

CSV = """code,name,level,parent_code
31,Kota Barat,kecamatan,
31.1,Kebon Jeruk,kelurahan,31
31.2,Sukadamai,desa,31
32,Kota Timur,kecamatan,
32.1,Pasar Minggu,kelurahan,32
"""


def feature(code, geometry_):
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry_}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


GEOJSON = collection(feature("31", box(-6.2, -6.1, 106.7, 106.8)), feature("31.1", box(-6.2, -6.1, 106.7, 106.75)),
                     feature("31.2", box(-6.2, -6.1, 106.75, 106.8)))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def load(tmp_path, csv_text, geojson_text=None):
    args = [write(tmp_path, "areas.csv", csv_text)]
    if geojson_text is not None:
        args += ["--boundaries", write(tmp_path, "areas.geojson", geojson_text)]
    call_command("load_areas", *args)


def snapshot():
    return sorted(Area.objects.values_list("code", "name", "level", "parent__code", "min_lat", "max_lng"))


def test_a_list_loads_as_a_tree_with_boundaries_and_reloading_updates_without_duplicates(tmp_path):
    load(tmp_path, CSV, GEOJSON)
    assert Area.objects.count() == 5
    kebon = Area.objects.get(code="31.1")
    assert kebon.parent.code == "31" and kebon.level == "kelurahan"
    assert (kebon.min_lat, kebon.max_lat, kebon.min_lng, kebon.max_lng) == (-6.2, -6.1, 106.7, 106.75)
    assert Area.objects.get(code="32.1").boundary is None  # no polygon given: none stored
    assert Area.locate(-6.15, 106.77).code == "31.2"  # the village before its kecamatan
    assert Area.locate(-6.15, 106.9) is None

    load(tmp_path, CSV.replace("Kebon Jeruk", "Kebon Jeruk Baru"))  # again, without boundaries
    assert Area.objects.count() == 5
    kebon = Area.objects.get(code="31.1")
    assert kebon.name == "Kebon Jeruk Baru" and kebon.boundary is not None  # boundaries kept


@pytest.mark.parametrize("csv_text, geojson_text, message", [
    (CSV + "32.2,Cilandak,kelurahan,99\n", None, "the parent 99 of 32.2 is not a known area"),
    (CSV + "31.1,Kebon Jeruk Lagi,kelurahan,31\n", None, "the code 31.1 is already used on line 3"),
    (CSV + "32.3,Tebet,kelurahan,31.1\n", None, "is not a kecamatan"),
    (CSV + "33,Kota Utara,kota,\n", None, "has level 'kota'"),
    (CSV + "32.4,Tanpa Induk,kelurahan,\n", None, "needs the code of its kecamatan"),
    ("kode,nama\n31,Kota Barat\n", None, "missing: code, name, level, parent_code"),
    (CSV.replace("Pasar Minggu", "Pasar\x00Minggu"), None, "NUL byte"),
    (CSV, GEOJSON[:-5], "not valid JSON"),
    (CSV, json.dumps({"type": "Feature"}), "must be a FeatureCollection"),
    (CSV, collection(feature("31", {"type": "Polygon", "coordinates": [[[106.7, -6.2], [106.8, -6.2], [106.8, -6.1]]]})),
     "a ring needs at least 4 positions"),
    (CSV, collection(feature("31", {"type": "Polygon", "coordinates": [[[106.7, -6.2], [106.8, -6.2],
                                                                          [106.8, -6.1], [106.7, -6.1]]]})),
     "a ring must end where it starts"),
    (CSV, collection(feature("31", {"type": "Point", "coordinates": [106.7, -6.2]})), "Polygon or a MultiPolygon"),
    (CSV, collection(feature("31", box(-6.2, -6.1, 106.7, 999))), "outside longitude"),
    (CSV, collection(feature("99.9", box(-6.2, -6.1, 106.7, 106.8))), "no area of that code in the CSV"),
    (CSV, collection({"type": "Feature", "properties": {}, "geometry": box(-6.2, -6.1, 106.7, 106.8)}),
     "no properties.code"),
    (CSV, collection(feature("31", box(-6.2, -6.1, 106.7, 106.8)), feature("31", box(-6.2, -6.1, 106.7, 106.8))),
     "a second boundary for 31"),
    (CSV, GEOJSON.replace('"31.2"', '"31.\\u00002"'), "NUL byte"),
])
def test_bad_input_is_a_clear_error_that_changes_nothing(tmp_path, csv_text, geojson_text, message):
    load(tmp_path, "code,name,level,parent_code\n31,Kota Lama,kecamatan,\n")
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        load(tmp_path, csv_text, geojson_text)
    assert message in str(raised.value) and "nothing was loaded" in str(raised.value)
    assert snapshot() == before


def test_a_kecamatan_turned_village_under_which_areas_still_lie_is_refused(tmp_path):
    load(tmp_path, CSV)
    before = snapshot()
    with pytest.raises(CommandError, match="no longer a kecamatan"):
        load(tmp_path, "code,name,level,parent_code\n32,Kota Timur,kecamatan,\n31,Kota Barat,kelurahan,32\n")
    assert snapshot() == before


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_areas", str(tmp_path / "absent.csv"))


def test_the_demo_city_boundaries_hold_every_street_in_its_kelurahan_and_kecamatan(tmp_path):
    call_command("load_areas", str(DATA / "sukamaju.csv"), "--boundaries", str(DATA / "sukamaju.geojson"))
    assert Area.objects.filter(level="kecamatan").count() == len({s["kecamatan"] for s in STREETS})
    for street in STREETS:
        found = Area.locate(street["lat"], street["lng"])
        assert (found.name, found.parent.name) == (street["kelurahan"], street["kecamatan"]), street["name"]
        assert found.parent.contains(street["lat"], street["lng"])


def test_point_in_polygon_respects_holes_and_multipolygons():
    outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    shape = geometry.clean({"type": "MultiPolygon", "coordinates": [[outer, hole], [[[20, 0], [30, 0], [30, 5], [20, 0]]]]})
    assert geometry.contains(shape, 2, 2) and not geometry.contains(shape, 5, 5)
    assert geometry.contains(shape, 1, 25) and not geometry.contains(shape, 4, 25)
    assert geometry.bbox(shape) == (0, 10, 0, 30)

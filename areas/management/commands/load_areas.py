"""python manage.py load_areas AREAS.csv [--boundaries AREAS.geojson]

The CSV has the columns code,name,level,parent_code (level: kecamatan, kelurahan or desa;
parent_code: the kecamatan of a kelurahan/desa, empty for a kecamatan). The GeoJSON is a
FeatureCollection of Polygon/MultiPolygon features with properties.code. See
docs/operations.md ("Areas").
"""

from django.core.management.base import BaseCommand, CommandError

from areas.loading import AreaFileError, load


def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None


class Command(BaseCommand):
    help = "Load or update the city's areas (kecamatan, kelurahan/desa) and their boundaries."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="CSV with the columns code,name,level,parent_code")
        parser.add_argument("--boundaries", help="GeoJSON FeatureCollection with properties.code")

    def handle(self, *args, **options):
        csv_text = _read(options["csv"])
        geojson_text = _read(options["boundaries"]) if options.get("boundaries") else None
        try:
            counts = load(csv_text, geojson_text)
        except AreaFileError as exc:
            raise CommandError(f"nothing was loaded:\n{exc}") from None
        self.stdout.write(f"areas: {counts['created']} created, {counts['updated']} updated, "
                          f"{counts['boundaries']} boundaries")

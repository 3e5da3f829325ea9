"""Compile every .po catalogue to .mo with polib, so no system gettext is needed.

`--check` exits non-zero when a committed .mo is missing or older than its .po, or when
a catalogue has untranslated or fuzzy entries (CI runs it through the test suite)."""

from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues():
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    # Only our own apps (top-level folders of the project), never installed packages.
    dirs += [Path(app.path) / "locale" for app in apps.get_app_configs()
             if Path(app.path).parent == Path(settings.BASE_DIR)]
    for base in dirs:
        if base.is_dir():
            yield from sorted(base.glob("*/LC_MESSAGES/*.po"))


def problems(po_path):
    po = polib.pofile(str(po_path))
    found = []
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    if untranslated:
        found.append(f"{po_path}: {len(untranslated)} untranslated, e.g. {untranslated[0]!r}")
    if fuzzy:
        found.append(f"{po_path}: {len(fuzzy)} fuzzy, e.g. {fuzzy[0]!r}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{mo_path}: missing (run `make messages`)")
    else:
        compiled = polib.mofile(str(mo_path))
        expected = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
        actual = {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid}
        if {k: v for k, v in expected.items() if k[1]} != actual:
            found.append(f"{mo_path}: out of date with its .po (run `make messages`)")
    return found


class Command(BaseCommand):
    help = "Compile translation catalogues with polib (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, **options):
        paths = list(catalogues())
        if options["check"]:
            found = [p for path in paths for p in problems(path)]
            if found:
                raise CommandError("\n".join(found))
            self.stdout.write(f"{len(paths)} catalogues complete and compiled.")
            return
        for path in paths:
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
            self.stdout.write(f"compiled {path}")

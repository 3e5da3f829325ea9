"""The architecture's one-way dependencies (docs/architecture.md, "Layout"), read from the
import statements of every module with `ast`, so a forbidden import fails here instead
of growing into a cycle:

- `routing` and `areas` are the ground floor: they import no other app of the project;
- `complaints` never imports `dashboard` (the dashboard subscribes to its domain events);
- the lifecycle core never imports the citizen, staff or Open311 packages (pages call the
  lifecycle, never the other way round);
- `ml`'s core is a library: it never imports `complaints` (its commands may);
- the lifecycle's leaf modules (states, actions, fsm), which the model imports, import
  nothing of the project but each other.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("config", "routing", "areas", "complaints", "dashboard", "ml")
CORE = ("complaints.lifecycle", "complaints.models", "complaints.audit", "complaints.permissions",
        "complaints.roles", "complaints.signals")
PAGES = ("complaints.citizen", "complaints.staff", "complaints.open311")
LEAVES = ("complaints.lifecycle.states", "complaints.lifecycle.actions", "complaints.lifecycle.fsm")


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path):
    """The project modules `path` imports (absolute and relative, at any depth)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {m for m in found if m.split(".")[0] in APPS}


def within(module, prefixes):
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def project_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield module_name(path), path


def violations():
    found = []
    for name, path in project_modules():
        for target in imports(path):
            rules = [
                (within(name, ("routing",)) and not within(target, ("routing",)),
                 "routing imports no other app"),
                # areas/data/make_sukamaju.py, a script that rebuilds the demo files from the
                # demo streets, is not part of the app.
                (within(name, ("areas",)) and not within(name, ("areas.data",)) and not within(target, ("areas",)),
                 "areas imports no other app"),
                (within(name, ("complaints",)) and within(target, ("dashboard",)),
                 "complaints never imports dashboard"),
                (within(name, CORE) and within(target, PAGES),
                 "the lifecycle core never imports the citizen, staff or Open311 pages"),
                (within(name, ("ml",)) and not within(name, ("ml.management",))
                 and within(target, ("complaints", "dashboard")),
                 "ml's core never imports complaints"),
                (within(name, LEAVES) and not within(target, LEAVES),
                 "the lifecycle's leaf modules import nothing of the project"),
            ]
            found += [f"{name} imports {target}: {why}" for broken, why in rules if broken]
    return found


def test_dependencies_point_one_way():
    assert violations() == []


def test_the_rule_catches_a_forbidden_import(tmp_path, monkeypatch):
    """The check itself works: a complaints module importing dashboard is reported."""
    bad = ROOT / "complaints" / "zz_layering_probe.py"
    bad.write_text("from dashboard import metrics\n")
    try:
        assert "complaints.zz_layering_probe imports dashboard: complaints never imports dashboard" in \
            violations()
    finally:
        bad.unlink()

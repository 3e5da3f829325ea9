"""The README's "Production" section is what CI runs: its code block is deploy/release.sh
verbatim, and the production stage (.ci/production, run by .ci/run) runs that script and
starts the processes with the shipped systemd units and nginx site. These checks need no
stage."""

import re

from .conftest import ROOT


def production_section():
    readme = (ROOT / "README.md").read_text()
    return readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_production_block_is_the_release_script_ci_runs():
    blocks = re.findall(r"```sh\n(.*?)```", production_section(), re.S)
    assert blocks, "README Production has no sh block"
    assert blocks[0] == (ROOT / "deploy/release.sh").read_text()


def test_ci_runs_the_production_stage_after_both_test_runs_with_the_shipped_files():
    ci = (ROOT / ".ci/run").read_text()
    assert ci.rstrip().splitlines()[-1].startswith(".ci/production")
    assert ci.rindex(".ci/production") > ci.rindex("make test")
    stage = (ROOT / ".ci/production").read_text()
    for shipped in ("deploy/release.sh", "deploy/nginx/aduan.conf", "deploy/systemd/aduan-daphne@.service",
                    "deploy/systemd/aduan-worker.service"):
        assert shipped in stage and (ROOT / shipped).exists()
    # Two web processes and one worker, as the units' instances.
    assert stage.count("start_unit deploy/systemd/aduan-daphne@.service") == 2
    assert stage.count("start_unit deploy/systemd/aduan-worker.service") == 1


def test_the_readme_names_every_shipped_deployment_file():
    section = production_section()
    for shipped in ("deploy/release.sh", "deploy/aduan.env.example", "deploy/nginx/aduan.conf",
                    "deploy/systemd/aduan-daphne@.service", "deploy/systemd/aduan-worker.service",
                    "deploy/systemd/aduan.target"):
        assert shipped in section, shipped


def test_the_proxy_body_limit_is_the_apps_largest_request():
    from django.conf import settings

    conf = (ROOT / "deploy/nginx/aduan.conf").read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    # The app accepts up to max files x max size + 1 MB of form on the report and tracking
    # forms; the proxy refuses exactly what the app would refuse.
    largest = settings.ATTACHMENT_MAX_FILES * settings.ATTACHMENT_MAX_BYTES + 1024 * 1024
    assert limit_mb * 1024 * 1024 == largest

"""docs/operations.md's backup and restore, as shipped (deploy/backup.sh, deploy/restore.sh):
a dump of the running stage restored into a fresh database passes verify_audit and holds
every complaint and event; the media folder comes back file for file."""

import json
import subprocess

from .conftest import ROOT

COUNTS = """
import json
from complaints.models import Attachment, Complaint, Event
print(json.dumps([Complaint.objects.count(), Event.objects.count(), Attachment.objects.count()]))
"""


def psql(stage, *args):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", stage.pg_port, "-U", "postgres", *args],
                   check=True, capture_output=True, timeout=60)


def test_a_backup_restores_into_a_fresh_database_and_the_audit_chains_verify(stage, tmp_path):
    media = stage.dir / "media"
    (media / "backup-probe").mkdir(parents=True, exist_ok=True)
    (media / "backup-probe" / "probe.txt").write_text("kept")
    env = {"ADUAN_ENV_FILE": str(stage.dir / "aduan.env"), "PATH": f"{stage.venv_bin}:/usr/bin:/bin"}
    done = subprocess.run(["deploy/backup.sh", str(tmp_path / "backup")], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=300)
    dump, tarball = done.stdout.split()
    original = stage.shell(COUNTS)
    assert original[0] > 50 and original[1] > 200

    # A fresh machine: an empty database and an empty media folder, the same keys.
    psql(stage, "-c", "DROP DATABASE IF EXISTS aduan_restored", "-c", "CREATE DATABASE aduan_restored")
    restored_url = stage.env["DATABASE_URL"] + "_restored"
    env_file = (stage.dir / "aduan.env").read_text()
    env_file = env_file.replace(f"DATABASE_URL={stage.env['DATABASE_URL']}\n", f"DATABASE_URL={restored_url}\n")
    env_file = env_file.replace(f"MEDIA_ROOT={media}\n", f"MEDIA_ROOT={tmp_path / 'media'}\n")
    (tmp_path / "restored.env").write_text(env_file)
    result = subprocess.run(["deploy/restore.sh", dump, tarball], cwd=ROOT,
                            env={**env, "ADUAN_ENV_FILE": str(tmp_path / "restored.env")},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    counts = stage.manage("shell", "-c", COUNTS, extra_env={"DATABASE_URL": restored_url})
    assert json.loads(counts.stdout.strip().splitlines()[-1]) == original
    assert (tmp_path / "media" / "backup-probe" / "probe.txt").read_text() == "kept"

    # verify_audit does fail on an altered copy, so its success above means something.
    psql(stage, "-d", "aduan_restored", "-c",
         "UPDATE complaints_event SET actor_label = actor_label || 'x' WHERE id = (SELECT min(id) FROM complaints_event)")
    tampered = stage.manage("verify_audit", check=False, extra_env={"DATABASE_URL": restored_url})
    assert tampered.returncode != 0

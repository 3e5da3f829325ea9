"""First byte and memory of /dashboard/export/complaints.csv served by daphne.

Starts daphne (DEBUG off) on the database named by DATABASE_URL, downloads the whole
complaint export over a plain socket, and prints the time to the first byte of the body, the
total time and size, and daphne's resident memory before, at its peak (VmHWM) and after.

    createdb aduan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench DEBUG=1 python manage.py migrate
    DATABASE_URL=... DEBUG=1 python manage.py generate_history --count 200000
    DATABASE_URL=... python bench/csv_export.py [--repeat 2]
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def memory(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+) kB", status).group(1)) // 1024 for key in ("VmRSS", "VmHWM")}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def download(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=600)
    started = time.monotonic()
    sock.sendall(b"GET /dashboard/export/complaints.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    received, first = b"", None
    while True:
        data = sock.recv(1 << 16)
        if not data:
            break
        received += data
        if first is None and b"\r\n\r\n" in received and received.split(b"\r\n\r\n", 1)[1]:
            first = time.monotonic() - started
    sock.close()
    elapsed = time.monotonic() - started
    head, body = received.split(b"\r\n\r\n", 1)
    if b"transfer-encoding: chunked" in head.lower():
        body = b"".join(dechunk(body))
    return first, elapsed, len(body), body.count(b"\n") - 1


def dechunk(body):
    while body:
        size, _sep, body = body.partition(b"\r\n")
        size = int(size, 16)
        if size == 0:
            return
        yield body[:size]
        body = body[size + 2:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a database filled by generate_history.")
    port = free_port()
    env = dict(os.environ, DEBUG="", ADUAN_ALLOW_DEV_KEYS="1", ADUAN_PLAIN_STATIC="1",
               ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_SETTINGS_MODULE="config.settings")
    env.pop("REDIS_URL", None)
    with tempfile.TemporaryFile() as log:
        daphne = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                   "config.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            before = memory(daphne.pid)
            for attempt in range(1, args.repeat + 1):
                first, total, size, rows = download(port)
                time.sleep(1)
                after = memory(daphne.pid)
                print(f"download {attempt}: first byte after {first:.2f} s, complete after {total:.1f} s, "
                      f"{size / 2**20:.1f} MB of CSV, {rows} complaints; daphne RSS {before['VmRSS']} MB before, "
                      f"peak {after['VmHWM']} MB, {after['VmRSS']} MB after")
        finally:
            daphne.terminate()
            daphne.wait(timeout=10)


if __name__ == "__main__":
    main()

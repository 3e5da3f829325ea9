"""Memory of a daphne process answering one oversized POST to /report/.

Starts the real application under daphne (DEBUG off, a scratch SQLite database, as
tests/dashboard/live_site.py does), fetches the report form for its CSRF cookie and token,
then sends a well-formed multipart filing with one attachment of --mb megabytes, with a
Content-Length (default) or chunked (--chunked). Prints the answer, how long it took, and
daphne's resident memory before and after and its peak (VmHWM) before and after.

    python bench/upload_memory.py [--mb 100] [--chunked]
"""

import argparse
import http.client
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.dashboard.live_site import LiveSite  # noqa: E402

PIECE = b"\xff\xd8\xff" + bytes(range(256)) * 4096  # ~1 MB, starts like a JPEG


def memory(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+) kB", status).group(1)) // 1024 for key in ("VmRSS", "VmHWM")}


def form_page(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/report/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    category = re.search(r'<option value="([A-Z-]+)"', html).group(1)
    return cookie, token, category


def body_parts(token, category, megabytes, boundary):
    fields = {"csrfmiddlewaretoken": token, "category": category, "kind": "complaint",
              "title": "Jalan berlubang", "description": "Lubang besar di jalan depan sekolah sejak dua minggu.",
              "identity_mode": "anonymous", "visibility": "private", "website": "",
              "idempotency_key": uuid.uuid4().hex}
    for name, value in fields.items():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"big.jpg\"\r\n"
           "Content-Type: image/jpeg\r\n\r\n").encode()
    for _ in range(megabytes):
        yield PIECE
    yield f"\r\n--{boundary}--\r\n".encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--chunked", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = LiveSite(Path(tmp))
        try:
            port, pid = site.ports[0], site.processes[0].pid
            cookie, token, category = form_page(port)
            time.sleep(1)
            before = memory(pid)
            boundary = uuid.uuid4().hex
            size = sum(len(p) for p in body_parts(token, category, args.mb, boundary))
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            conn.putrequest("POST", "/report/")
            conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
            conn.putheader("Cookie", f"csrftoken={cookie}")
            conn.putheader("Referer", f"http://127.0.0.1:{port}/report/")
            if args.chunked:
                conn.putheader("Transfer-Encoding", "chunked")
            else:
                conn.putheader("Content-Length", str(size))
            conn.endheaders()
            started = time.monotonic()
            try:
                for part in body_parts(token, category, args.mb, boundary):
                    conn.send(b"%x\r\n%s\r\n" % (len(part), part) if args.chunked else part)
                if args.chunked:
                    conn.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed before the whole body was sent
            response = conn.getresponse()
            response.read()
            elapsed = time.monotonic() - started
            time.sleep(2)  # let daphne drop the finished request
            after = memory(pid)
            mode = "chunked" if args.chunked else "Content-Length"
            print(f"POST /report/ with a {args.mb} MB attachment ({size / 2**20:.1f} MB body, {mode}): "
                  f"HTTP {response.status} after {elapsed:.1f} s")
            print(f"daphne RSS {before['VmRSS']} MB -> {after['VmRSS']} MB; "
                  f"peak RSS (VmHWM) {before['VmHWM']} MB -> {after['VmHWM']} MB")
        finally:
            site.close()


if __name__ == "__main__":
    main()

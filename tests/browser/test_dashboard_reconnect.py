"""The live dashboard keeps itself live in a real browser: a connection that goes silent
without closing (a proxy or the network dropped it) is noticed by the heartbeat and
replaced, and a server that accepts and closes at once is retried with growing back-off."""

import socket
import threading

import pytest

from tests.dashboard.live_site import LiveSite

pytestmark = pytest.mark.browser


class FreezableProxy:
    """A TCP proxy in front of daphne. freeze() stops forwarding on every connection open
    now, without closing any: to both ends the connection looks alive but says nothing."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.connections = []  # [frozen flag (a list), first bytes from the browser]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            state = {"frozen": False, "first": b""}
            with self.lock:
                self.connections.append(state)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b, state, a is client), daemon=True).start()

    def _pipe(self, source, sink, state, from_browser):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if from_browser and not state["first"]:
                    state["first"] = data[:200]
                if not state["frozen"]:
                    sink.sendall(data)
        except OSError:
            pass
        if not state["frozen"]:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def freeze(self):
        with self.lock:
            for state in self.connections:
                state["frozen"] = True

    def websocket_connections(self):
        with self.lock:
            return sum(1 for s in self.connections if s["first"].startswith(b"GET /ws/dashboard/"))

    def close(self):
        self.listener.close()


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    site = LiveSite(tmp_path_factory.mktemp("reconnect"), extra_env={"DASHBOARD_HEARTBEAT_SECONDS": "1"})
    proxy = FreezableProxy(site.ports[0])
    yield site, proxy
    proxy.close()
    site.close()


def test_a_connection_that_goes_silent_is_replaced_and_the_page_is_live_again(proxied, page):
    site, proxy = proxied
    page.goto(f"http://127.0.0.1:{proxy.port}/dashboard/")
    page.wait_for_selector("#live-status[data-state='live']")
    assert proxy.websocket_connections() == 1
    proxy.freeze()  # the socket stays open but nothing passes any more
    page.wait_for_selector("#live-status[data-state='stale']")
    page.wait_for_selector("#live-status[data-state='live']")
    assert proxy.websocket_connections() >= 2
    # The new connection carries events again.
    site.transition("triage", unit="DPU-JALAN")
    page.locator(".dash-ticker-item").first.wait_for()


# A WebSocket that opens and is closed by the server at once ("try again later"); the page's
# timers are recorded and run without waiting.
FAKE_SOCKET = """
(() => {
  window.__reconnectDelays = [];
  const realSetTimeout = window.setTimeout.bind(window);
  window.setTimeout = (fn, ms, ...args) => {
    if (typeof ms === "number" && ms >= 400) { window.__reconnectDelays.push(ms); ms = 0; }
    return realSetTimeout(fn, ms, ...args);
  };
  class ClosingSocket {
    constructor(url) {
      this.url = url; this.readyState = 0;
      realSetTimeout(() => {
        this.readyState = 1; if (this.onopen) this.onopen({});
        if (this.onmessage) this.onmessage({data: "not json {"});
        this.readyState = 3; if (this.onclose) this.onclose({code: 1013});
      }, 5);
    }
    send() {}
    close() { this.readyState = 3; }
  }
  ClosingSocket.OPEN = 1;
  window.WebSocket = ClosingSocket;
})();
"""


def test_a_server_that_closes_at_once_is_retried_with_growing_back_off(proxied, page):
    site, _proxy = proxied
    page.add_init_script(FAKE_SOCKET)
    page.goto(site.url() + "/dashboard/")
    # Polled from the test: wait_for_function evaluates a string in the page, which the
    # site's Content-Security-Policy (no 'unsafe-eval') forbids.
    for _ in range(300):
        if page.evaluate("window.__reconnectDelays.length") >= 6:
            break
        page.wait_for_timeout(50)
    delays = page.evaluate("window.__reconnectDelays.slice(0, 6)")
    # Retry n waits min(30 s, 2^n s) times a jitter of 0.5–1: 0.5–1 s, 1–2, 2–4, 4–8, 8–16,
    # then 15–30 s. Each delay within its own step (the last two steps overlap by a second,
    # so two neighbours may come out of order: not sorted, but each in its band).
    assert len(delays) == 6
    for n, delay in enumerate(delays):
        ceiling = min(30000, 1000 * 2 ** n)
        assert ceiling / 2 <= delay <= ceiling, (n, delay)
    assert page.locator("#live-status").get_attribute("data-state") == "stale"

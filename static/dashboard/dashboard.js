/* Live public dashboard: WebSocket ticker, figure refresh, charts.
   The page is complete without this script; it only adds live updates and charts. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("dashboard-config").textContent);
  var weekly = JSON.parse(document.getElementById("dashboard-weekly").textContent);
  var lang = (document.documentElement.lang || "id").slice(0, 2);
  var status = document.getElementById("live-status");
  var ticker = document.getElementById("ticker");
  var MAX_TICKER = 20;
  var socket = null, retry = 0, refreshTimer = null, lastRefresh = 0;

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    document.body.classList.toggle("dashboard-stale", state !== "live");
  }

  function name(obj) {
    if (!obj) return "–";
    return (lang === "en" ? obj.name_en : obj.name_id) || obj.name_id || obj.code;
  }

  function clock(iso, withSeconds) {
    var options = {hour: "2-digit", minute: "2-digit"};
    if (withSeconds) options.second = "2-digit";
    return new Date(iso).toLocaleTimeString(lang === "en" ? "en-GB" : "id-ID", options);
  }

  function tickerText(event) {
    if (event.action === "sensitive_summary") {
      // Sensitive activity comes only as an hourly count: no category, unit or exact time.
      return config.sensitive_text.replace("{filed}", event.filed).replace("{updated}", event.updated)
        .replace("{from}", clock(event.period_start)).replace("{to}", clock(event.period_end));
    }
    return name(event.category) + " · " + (event.unit ? name(event.unit) : "–") + " · " +
      (config.states[event.state] || event.state) + " (" + (config.actions[event.action] || event.action) + ")";
  }

  function addTicker(event) {
    var empty = ticker.querySelector(".dash-ticker-empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    var time = document.createElement("time");
    time.dateTime = event.at;
    time.textContent = clock(event.at, event.action !== "sensitive_summary");
    li.appendChild(time);
    li.appendChild(document.createTextNode(" " + tickerText(event)));
    li.className = "dash-ticker-item";
    ticker.insertBefore(li, ticker.firstChild);
    while (ticker.children.length > MAX_TICKER) ticker.removeChild(ticker.lastChild);
  }

  function show(value) { return value === null || value === undefined ? "–" : String(value); }

  function applySummary(data) {
    data.figures.forEach(function (figure) {
      Object.keys(figure).forEach(function (key) {
        var value = figure[key];
        if (key === "ageing") {
          value.forEach(function (bucket, i) {
            var cell = document.querySelector('[data-fig="backlog.ageing.' + i + '"]');
            if (cell) cell.textContent = show(bucket.count);
          });
          return;
        }
        if (value !== null && typeof value === "object") return;
        document.querySelectorAll('[data-fig="' + figure.name + "." + key + '"]').forEach(function (el) {
          el.textContent = show(value);
        });
      });
    });
  }

  // Figures are re-read from summary.json at most once a second, however many events arrive.
  function scheduleRefresh() {
    if (refreshTimer) return;
    var wait = Math.max(0, 1000 - (Date.now() - lastRefresh));
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      lastRefresh = Date.now();
      fetch(config.summary_url, {headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) applySummary(data); })
        .catch(function () {});
    }, wait);
  }

  // The socket: reconnect with exponential back-off (jitter, capped at 30 s) after any close or
  // error, and treat a socket that stays silent through two heartbeats as dead (a proxy or the
  // network can drop it without a close ever arriving). The back-off resets only once the
  // server has said hello, so a server that accepts and closes at once is not hammered.
  var HEARTBEAT_MS = config.heartbeat_ms || 25000;
  var lastHeard = 0, reconnectTimer = null;

  function scheduleReconnect() {
    setStatus("stale", config.stale_text);
    if (reconnectTimer) return;
    var delay = Math.min(30000, 1000 * Math.pow(2, retry)) * (0.5 + Math.random() / 2);
    retry = Math.min(retry + 1, 5);
    reconnectTimer = setTimeout(function () { reconnectTimer = null; connect(); }, delay);
  }

  function drop(ws) {
    if (ws !== socket) return;
    socket = null;
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    try { ws.close(); } catch (e) { /* already closing */ }
    scheduleReconnect();
  }

  function handle(data) {
    if (!data || typeof data !== "object") return;
    if (data.type === "hello") {
      retry = 0;
      setStatus("live", config.live_text);
      scheduleRefresh();  // catch up with anything missed while disconnected
    } else if (data.type === "events" && Array.isArray(data.events)) {
      data.events.forEach(addTicker);
      scheduleRefresh();
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws;
    try {
      ws = new WebSocket(scheme + location.host + config.ws_path);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    lastHeard = Date.now();
    ws.onmessage = function (message) {
      lastHeard = Date.now();
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }  // ignore what we cannot read
      handle(data);
    };
    ws.onerror = function () { drop(ws); };
    ws.onclose = function () { drop(ws); };
  }

  setInterval(function () {
    if (!socket) return;
    if (Date.now() - lastHeard > 2 * HEARTBEAT_MS) {
      drop(socket);
    } else if (socket.readyState === WebSocket.OPEN) {
      try { socket.send(JSON.stringify({type: "ping"})); } catch (e) { drop(socket); }
    }
  }, HEARTBEAT_MS);

  function charts() {
    if (!window.Chart) return;
    var labels = weekly.map(function (w) { return w.week; });
    var common = {responsive: true, maintainAspectRatio: false, animation: false,
                  plugins: {legend: {display: false}}};
    new window.Chart(document.getElementById("chart-volume"), {
      type: "bar",
      data: {labels: labels, datasets: [{label: document.getElementById("chart-volume").getAttribute("aria-label"),
             data: weekly.map(function (w) { return w.received; }), backgroundColor: "#1d4ed8"}]},
      options: common
    });
    new window.Chart(document.getElementById("chart-resolution"), {
      type: "line",
      data: {labels: labels, datasets: [{label: document.getElementById("chart-resolution").getAttribute("aria-label"),
             data: weekly.map(function (w) { return w.median_resolution_hours; }), borderColor: "#b45309",
             spanGaps: true}]},
      options: common
    });
  }

  setStatus("stale", config.stale_text);
  charts();
  connect();
})();

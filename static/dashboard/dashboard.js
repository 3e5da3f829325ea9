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

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + config.ws_path);
    socket.onopen = function () { retry = 0; };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "hello") {
        setStatus("live", config.live_text);
        scheduleRefresh();  // catch up with anything missed while disconnected
      } else if (data.type === "events") {
        data.events.forEach(addTicker);
        scheduleRefresh();
      }
    };
    socket.onclose = function () {
      setStatus("stale", config.stale_text);
      // Exponential back-off with jitter, capped at 30 s, so a restarted server is not stampeded.
      var delay = Math.min(30000, 1000 * Math.pow(2, retry)) * (0.5 + Math.random() / 2);
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, delay);
    };
  }

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

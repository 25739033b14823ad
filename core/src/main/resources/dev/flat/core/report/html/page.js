// flat html report: renders the JSON in #flat-data with uPlot. No network access, no statistics:
// every figure was computed by flat (docs/report-schema.md, "html"); this script only lays out,
// filters and sorts. The filters are kept in the address's fragment (#kind=dns&server=2), so a
// filtered view can be bookmarked or shared. With "selfcheck" in the fragment the page also
// checks that every chart drew and writes the result into #flat-selfcheck (the browser test
// reads it).
(function () {
  "use strict";

  var errors = [];
  window.addEventListener("error", function (e) { errors.push(String(e.message || e)); });

  var data = JSON.parse(document.getElementById("flat-data").textContent);
  var KINDS = ["tcp", "dns", "udp", "icmp"];
  var COLORS = {
    min: "#2ca02c", p50: "#1f5fa8", p99: "#d62728", max: "#7f7f7f", mean: "#1f5fa8",
    count: "#1f5fa8", unanswered: "#d62728", refused: "#e07b00", retransmitted: "#8e44ad",
    percentile: "#1f5fa8", histogram: "#1f5fa8", spark: "#1f5fa8"
  };
  var charts = []; // {id, plot, colors}
  var state = { kind: "all", server: -1, log: true };
  var hash = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    hash[decodeURIComponent(i < 0 ? kv : kv.slice(0, i))] = i < 0 ? "" : decodeURIComponent(kv.slice(i + 1));
  });

  /** The filters from the fragment, where they name a kind and a listed server. */
  function stateFromHash() {
    if (KINDS.indexOf(hash.kind) >= 0) { state.kind = hash.kind; }
    var server = parseInt(hash.server, 10);
    if (server >= 0 && server < data.servers.length) {
      state.server = server;
      state.kind = data.servers[server].kind;
    }
    if (hash.log === "0") { state.log = false; }
  }

  function hashFromState() {
    var parts = [];
    if (state.kind !== "all") { parts.push("kind=" + state.kind); }
    if (state.server >= 0) { parts.push("server=" + state.server); }
    if (!state.log) { parts.push("log=0"); }
    if ("selfcheck" in hash) { parts.push("selfcheck"); }
    var h = parts.length ? "#" + parts.join("&") : "";
    if (h !== location.hash && history.replaceState) {
      history.replaceState(null, "", h || location.pathname + location.search);
    }
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  function fmtCount(n) { return n === null || n === undefined ? "–" : String(n); }
  /** Latencies are shown as flat wrote them: exact ms, as in the json report. */
  function fmtMs(v) { return v === null || v === undefined ? "–" : String(v); }
  function fmtAxisMs(v) {
    if (v === null) { return ""; }
    if (v >= 1000) { return (v / 1000).toPrecision(3).replace(/\.?0+$/, "") + " s"; }
    if (v >= 1) { return +v.toPrecision(3) + " ms"; }
    if (v >= 0.001) { return +(v * 1000).toPrecision(3) + " µs"; }
    return +(v * 1e6).toPrecision(3) + " ns";
  }
  function fmtSeconds(s) {
    if (s >= 86400) { return (s / 86400).toFixed(1) + " d"; }
    if (s >= 3600) { return (s / 3600).toFixed(1) + " h"; }
    if (s >= 60) { return (s / 60).toFixed(1) + " min"; }
    if (s >= 1) { return +s.toPrecision(4) + " s"; }
    return +(s * 1000).toPrecision(4) + " ms";
  }
  function isoUtc(s) { return new Date(s * 1000).toISOString().replace("T", " ").replace("Z", " UTC"); }

  // ---- header, counters, warnings: the json report's own objects ----

  function header() {
    var files = data.input.files;
    document.title = "flat: " + files.join(", ");
    document.getElementById("files").textContent = "Input: " + files.join(", ");
    var a = data.axis;
    var span = document.getElementById("span");
    if (a.points > 0) {
      span.textContent = "Capture time " + isoUtc(a.start_s) + " to " + isoUtc(a.start_s + a.points * a.width_s) +
        " (" + fmtSeconds(a.points * a.width_s) + "); each point of the time plots covers " + fmtSeconds(a.width_s) + ".";
    } else {
      span.textContent = "No exchange and no unanswered request: the time plots are empty.";
    }
    document.getElementById("footer").textContent = "Written by flat; charts by uPlot " + data.report.uplot_version +
      " (MIT licence), inlined: this page works offline. Times in UTC.";
  }

  /** A cell whose text is the json report's value at path (the browser test compares them). */
  function jsonCell(value, path, fmt) {
    var td = el("td", { "data-json": path }, (fmt || fmtCount)(value));
    return td;
  }

  var KIND_COLUMNS = [
    ["exchanges", "exchanges", "answered and refused"], ["answered", "answered", "the expected response arrived"],
    ["refused", "refused", "TCP SYN answered by RST"], ["unanswered", "unanswered", "no response within the timeout"],
    ["retransmits", "retransmits", "further copies of a pending request"]
  ];
  var MATCHER_COLUMNS = [
    ["requests", "requests", "distinct requests"], ["evicted", "evicted", "pushed out of a full table"],
    ["unmeasurable", "unmeasurable", "response stamped before its request"],
    ["unmatched_responses", "unmatched responses", "responses without a pending request"],
    ["not_selected", "not selected", "events of a kind not selected by --kind"]
  ];
  var LATENCY_COLUMNS = ["min", "mean", "p50", "p90", "p99", "max"];

  function perKindTable(id, columns, latency) {
    var t = document.getElementById(id);
    var head = el("tr");
    head.appendChild(el("th", { "class": "text" }, "kind"));
    columns.forEach(function (c) { head.appendChild(el("th", { title: c[2] }, c[1])); });
    if (latency) {
      LATENCY_COLUMNS.forEach(function (c) { head.appendChild(el("th", null, c + " ms")); });
    }
    t.appendChild(head);
    KINDS.forEach(function (k) {
      var s = data.summary.kinds[k];
      var tr = el("tr", { "data-kind": k });
      tr.appendChild(el("td", { "class": "text" }, k));
      columns.forEach(function (c) { tr.appendChild(jsonCell(s[c[0]], "summary.kinds." + k + "." + c[0])); });
      if (latency) {
        LATENCY_COLUMNS.forEach(function (c) {
          tr.appendChild(jsonCell(s.latency_ms ? s.latency_ms[c] : null, "summary.kinds." + k + ".latency_ms." + c, fmtMs));
        });
      }
      t.appendChild(tr);
    });
  }

  function kindsTable() {
    perKindTable("kinds-table", KIND_COLUMNS, true);
    perKindTable("matcher-kinds-table", MATCHER_COLUMNS, false);
  }

  function countersTables() {
    var input = document.getElementById("input-table");
    function row(table, label, value, path) {
      var tr = el("tr");
      tr.appendChild(el("td", null, label));
      tr.appendChild(jsonCell(value, path));
      table.appendChild(tr);
    }
    row(input, "packets", data.input.packets, "input.packets");
    row(input, "events", data.input.events, "input.events");
    row(input, "filtered out (--host, --port)", data.input.filtered_events, "input.filtered_events");
    Object.keys(data.input.skipped).forEach(function (r) {
      row(input, "skipped: " + r.replace(/_/g, " "), data.input.skipped[r], "input.skipped." + r);
    });
    Object.keys(data.input.unsupported_link_types).forEach(function (lt) {
      row(input, "unsupported link type " + lt, data.input.unsupported_link_types[lt], "input.unsupported_link_types." + lt);
    });
    row(input, "lost events (ring buffer)", data.input.lost_events, "input.lost_events");

    var m = document.getElementById("matcher-table");
    var mm = data.summary.matcher;
    row(m, "pending at the end", mm.pending, "summary.matcher.pending");
    row(m, "unmatched resets", mm.unmatched_resets, "summary.matcher.unmatched_resets");
    row(m, "not dns on port 53", mm.not_dns, "summary.matcher.not_dns");
    row(m, "ignored events", mm.ignored_events, "summary.matcher.ignored_events");
    row(m, "out of order events", mm.out_of_order_events, "summary.matcher.out_of_order_events");
    row(m, "servers seen", data.summary.server_count, "summary.server_count");

    var ul = document.getElementById("warnings");
    if (data.input.warnings.length === 0) {
      document.getElementById("warnings-section").hidden = true;
    }
    data.input.warnings.forEach(function (w) { ul.appendChild(el("li", null, w)); });
  }

  // ---- filters ----

  function filters() {
    stateFromHash();
    var kindSel = document.getElementById("kind-filter");
    kindSel.appendChild(el("option", { value: "all" }, "all kinds"));
    KINDS.forEach(function (k) {
      var s = data.summary.kinds[k];
      kindSel.appendChild(el("option", { value: k }, k + " (" + s.exchanges + " exchanges)"));
    });
    kindSel.addEventListener("change", function () {
      state.kind = kindSel.value;
      if (state.server >= 0 && data.servers[state.server].kind !== state.kind && state.kind !== "all") {
        state.server = -1;
      }
      serverOptions();
      redraw();
    });
    document.getElementById("server-filter").addEventListener("change", function (e) {
      state.server = +e.target.value;
      if (state.server >= 0) {
        state.kind = data.servers[state.server].kind;
        kindSel.value = state.kind;
        serverOptions();
      }
      redraw();
    });
    kindSel.value = state.kind;
    document.getElementById("log-latency").checked = state.log;
    document.getElementById("log-latency").addEventListener("change", function (e) {
      state.log = e.target.checked;
      redraw();
    });
    serverOptions();
  }

  function serverOptions() {
    var sel = document.getElementById("server-filter");
    sel.textContent = "";
    sel.appendChild(el("option", { value: "-1" }, "all servers"));
    data.servers.forEach(function (s, i) {
      if (state.kind === "all" || s.kind === state.kind) {
        sel.appendChild(el("option", { value: String(i) }, s.kind + " " + s.endpoint));
      }
    });
    sel.value = String(state.server);
  }

  function selectServer(i) {
    state.server = i;
    state.kind = data.servers[i].kind;
    document.getElementById("kind-filter").value = state.kind;
    serverOptions();
    redraw();
    document.getElementById("filters").scrollIntoView();
  }

  // ---- charts ----

  function chartWidth(id) {
    var w = document.getElementById(id).clientWidth;
    return Math.max(320, w || 600);
  }

  function destroyCharts(prefix) {
    charts = charts.filter(function (c) {
      if (c.id.indexOf(prefix) === 0) {
        c.plot.destroy();
        return false;
      }
      return true;
    });
  }

  function place(id, opts, series, colors) {
    var target = document.getElementById(id);
    target.textContent = "";
    var plot = new uPlot(opts, series, target);
    charts.push({ id: id, plot: plot, colors: colors });
    return plot;
  }

  function emptyChart(id, text) {
    var target = document.getElementById(id);
    target.textContent = "";
    target.appendChild(el("p", { "class": "empty" }, text));
  }

  function utc(ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); }

  function pad(n, w) { n = String(n); while (n.length < (w || 2)) { n = "0" + n; } return n; }

  /** Time ticks in UTC: 14:03:07.250 below a second of spacing, 14:03:07 below a minute, else 14:03; the date on the first tick and at each new day. */
  function timeTicks(u, splits, axisIdx, space, incr) {
    var lastDay = null;
    return splits.map(function (s) {
      var d = new Date(s * 1000);
      var day = d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
      var t = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
      if (incr < 60) { t += ":" + pad(d.getUTCSeconds()); }
      if (incr < 1) { t += "." + pad(d.getUTCMilliseconds(), 3); }
      var label = day !== lastDay ? t + "\n" + day : t;
      lastDay = day;
      return label;
    });
  }

  function timeAxis() { return { label: "capture time (UTC)", values: timeTicks, size: 60 }; }

  function timeLegend(u, v) { return v === null ? "–" : isoUtc(v); }

  /** Latency on a log axis must be > 0: a 0 ns latency is drawn at 1 ns. */
  function positive(arr) {
    return arr.map(function (v) { return v === null ? null : (state.log ? Math.max(v, 1e-6) : v); });
  }

  function latencyAxis(label) {
    return { label: label, scale: "ms", size: 70, values: function (u, vals) { return vals.map(fmtAxisMs); } };
  }

  function latencyScale() { return state.log ? { distr: 3, log: 10 } : { distr: 1 }; }

  function timeSeriesOf() {
    var a = data.axis;
    if (state.server >= 0) {
      var s = data.servers[state.server];
      if (!s.timeline) { return null; }
      var xs = [];
      for (var i = 0; i < a.server_points; i++) { xs.push(a.server_start_s + i * a.server_width_s); }
      return { x: xs, t: s.timeline, width: a.server_width_s, server: true };
    }
    var x = [];
    for (var j = 0; j < a.points; j++) { x.push(a.start_s + j * a.width_s); }
    return { x: x, t: data.timeline[state.kind], width: a.width_s, server: false };
  }

  function drawTimeCharts() {
    destroyCharts("latency-chart");
    destroyCharts("requests-chart");
    var ts = timeSeriesOf();
    var latencyNote = document.getElementById("latency-note");
    var requestsNote = document.getElementById("requests-note");
    if (ts === null) {
      emptyChart("latency-chart", "This server came after the first " + data.report.server_timeline_limit +
        " servers of the capture: flat kept no timeline for it.");
      emptyChart("requests-chart", "No timeline for this server.");
      latencyNote.textContent = requestsNote.textContent = "";
      return;
    }
    if (ts.x.length === 0) {
      emptyChart("latency-chart", "No exchange to plot.");
      emptyChart("requests-chart", "No request to plot.");
      return;
    }
    var width = chartWidth("latency-chart");
    var sync = uPlot.sync("time");
    var t = ts.t;
    var lat;
    var colors;
    // The middle series last, so that it is drawn on top where a point's three values coincide
    // (a point with one exchange); the band spans the other two.
    if (ts.server) {
      lat = [ts.x, positive(t.max_ms), positive(t.min_ms), positive(t.mean_ms)];
      colors = [COLORS.max, COLORS.min, COLORS.mean];
      latencyNote.textContent = "Per " + fmtSeconds(ts.width) + " of capture time: fastest, mean and slowest exchange " +
        "with this server (per-server timelines keep no percentiles). Exact values in the legend when hovering.";
    } else {
      lat = [ts.x, positive(t.p99_ms), positive(t.min_ms), positive(t.p50_ms)];
      colors = [COLORS.p99, COLORS.min, COLORS.p50];
      latencyNote.textContent = "Per " + fmtSeconds(ts.width) + " of capture time: fastest exchange, median (p50) and 99th " +
        "percentile; the band spans min to p99. Points without exchanges are gaps. Placed at each request's time.";
    }
    var names = ts.server ? ["max", "min", "mean"] : ["p99", "min", "p50"];
    var latencyPlot = place("latency-chart", {
      width: width, height: 300, tzDate: utc,
      cursor: { sync: { key: sync.key } },
      scales: { x: { time: true }, ms: latencyScale() },
      axes: [timeAxis(), latencyAxis("latency")],
      series: [{ label: "time", value: timeLegend }].concat(names.map(function (n, i) {
        return {
          label: n + " ms", scale: "ms", stroke: colors[i], width: n === "p50" || n === "mean" ? 2 : 1.25,
          // sparse data (a lab capture) leaves isolated points that a line cannot show
          points: { show: nonNull(t.count) < 200, size: 5 },
          value: function (u, v) { return v === null ? "–" : fmtAxisMs(v); }
        };
      })),
      bands: [{ series: [1, 2], fill: "rgba(31, 95, 168, 0.10)" }]
    }, lat, colors);
    sync.sub(latencyPlot);

    // Unanswered, refused and retransmitted requests have their own axis on the right: a few per
    // point next to hundreds of exchanges would lie flat on zero. Dots where there are any when
    // they are sparse (a lab capture), stepped lines when dense.
    var dense = nonNull(t.unanswered) + nonNull(t.refused) + nonNull(t.retransmitted) > 150;
    var req = [ts.x, t.count].concat([t.unanswered, t.refused, t.retransmitted].map(function (a) {
      return dense ? a : marks(a);
    }));
    var reqColors = [COLORS.count, COLORS.unanswered, COLORS.refused, COLORS.retransmitted];
    var reqNames = ["exchanges", "unanswered", "refused", "retransmitted"];
    var stepped = uPlot.paths.stepped({ align: 1 });
    var requestsPlot = place("requests-chart", {
      width: width, height: 250, tzDate: utc,
      cursor: { sync: { key: sync.key } },
      scales: {
        x: { time: true },
        n: { range: function (u, min, max) { return [0, Math.max(1, max)]; } },
        m: { range: function (u, min, max) { return [0, Math.max(1, max === null ? 1 : max * 1.1)]; } }
      },
      axes: [timeAxis(), { label: "exchanges per point", scale: "n", size: 70, incrs: COUNT_STEPS },
        { label: "flagged requests per point", scale: "m", side: 1, size: 60, grid: { show: false }, incrs: COUNT_STEPS }],
      series: [{ label: "time", value: timeLegend }].concat(reqNames.map(function (n, i) {
        return i === 0 ? {
          label: n, scale: "n", stroke: reqColors[i], width: 1.5, paths: stepped, fill: "rgba(31, 95, 168, 0.10)",
          points: { show: false }
        } : dense ? {
          label: n, scale: "m", stroke: reqColors[i], width: 1.25, paths: stepped, points: { show: false }
        } : {
          label: n, scale: "m", stroke: reqColors[i], paths: function () { return null; },
          points: { show: true, size: 8, width: 2, fill: reqColors[i] }
        };
      }))
    }, req, reqColors.filter(function (c, i) { return sum(req[i + 1]) > 0; }));
    sync.sub(requestsPlot);
    requestsNote.textContent = "Per " + fmtSeconds(ts.width) + ": exchanges measured (left axis); on the right axis, " +
      "requests that got no response (unanswered, placed at the request), TCP SYNs refused by RST, and requests sent " +
      "more than once (retransmitted). Drag to zoom both time plots; double-click to zoom out.";
  }

  /** Tick steps for counts: whole numbers only. */
  var COUNT_STEPS = [];
  for (var e = 0; e <= 12; e++) {
    [1, 2, 5].forEach(function (m) { COUNT_STEPS.push(m * Math.pow(10, e)); });
  }

  function sum(a) { return a.reduce(function (s, v) { return s + (v || 0); }, 0); }

  function nonNull(counts) { return counts.filter(function (n) { return n > 0; }).length; }

  function marks(counts) { return counts.map(function (n) { return n > 0 ? n : null; }); }

  function distributionOf() {
    if (state.server >= 0) { return data.servers[state.server].distribution; }
    return data.distribution[state.kind];
  }

  function drawDistribution() {
    destroyCharts("percentile-chart");
    destroyCharts("histogram-chart");
    var d = distributionOf();
    if (d.percentile.length === 0) {
      emptyChart("percentile-chart", "No exchange to plot.");
      emptyChart("histogram-chart", "No exchange to plot.");
      return;
    }
    var width = chartWidth("percentile-chart");
    // x = 1 / (1 - p): 0 % at 1, 90 % at 10, 99 % at 100, 99.9 % at 1000 (HdrHistogram's plotter)
    var x = d.percentile.map(function (p) { return 1 / (1 - p / 100); });
    var xs = [];
    var ys = [];
    x.forEach(function (v, i) {
      if (i === 0 || v > xs[xs.length - 1]) { xs.push(v); ys.push(d.ms[i]); } // uPlot needs rising x
    });
    var top = Math.max(10, Math.pow(10, Math.ceil(Math.log10(xs[xs.length - 1]))));
    place("percentile-chart", {
      width: width, height: 280, padding: [null, 36, null, null], // room for the last percentile label
      scales: { x: { time: false, distr: 3, log: 10, range: function () { return [1, top]; } }, ms: latencyScale() },
      axes: [
        { label: "percentile", values: percentTicks },
        latencyAxis("latency")
      ],
      series: [
        { label: "percentile", value: function (u, v) { return v === null ? "–" : percentLabel(v); } },
        { label: "latency", scale: "ms", stroke: COLORS.percentile, width: 2, points: { show: xs.length < 3 },
          value: function (u, v) { return v === null ? "–" : fmtAxisMs(v); } }
      ]
    }, [xs, positive(ys)], [COLORS.percentile]);

    var centers = d.bin_ms.map(function (lo) { return lo * Math.pow(10, 0.5 / 10); });
    place("histogram-chart", {
      width: width, height: 280,
      scales: { x: { time: false, distr: 3, log: 10 }, n: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [
        { label: "latency", values: function (u, vals) { return vals.map(fmtAxisMs); } },
        { label: "exchanges", scale: "n", size: 70, incrs: COUNT_STEPS }
      ],
      series: [
        { label: "latency", value: function (u, v) { return v === null ? "–" : fmtAxisMs(v); } },
        { label: "exchanges", scale: "n", stroke: COLORS.histogram, fill: "rgba(31, 95, 168, 0.55)",
          paths: uPlot.paths.bars({ size: [0.9, 60] }), points: { show: false } }
      ]
    }, [centers, d.bin_count], [COLORS.histogram]);
  }

  /** x = 1 / (1 - p) back to a percentile: 10 → 90%, 1000 → 99.9%. */
  function percentLabel(v) {
    var p = 100 * (1 - 1 / v);
    if (p <= 0) { return "0%"; }
    var digits = Math.max(0, Math.ceil(-Math.log10(100 - p) - 1e-9));
    return String(+p.toFixed(Math.min(digits + 1, 6))) + "%";
  }

  /** Tick labels only at powers of ten (0%, 90%, 99%, ...): the others would crowd the axis. */
  function percentTicks(u, vals) {
    return vals.map(function (v) {
      var l = Math.log10(v);
      return Math.abs(l - Math.round(l)) < 1e-6 ? percentLabel(v) : "";
    });
  }

  // ---- tables ----

  /** Sortable tables: rows are re-rendered from data, sorted by the clicked column. */
  function sortableTable(table, columns, rows, render, initial) {
    var sort = initial;
    function draw() {
      table.textContent = "";
      var head = el("tr");
      columns.forEach(function (c, i) {
        var th = el("th", { "class": c.text ? "text" : "", title: c.title || "" }, c.label);
        if (c.key) {
          if (sort.col === i) { th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending"); }
          th.addEventListener("click", function () {
            sort = { col: i, dir: sort.col === i ? -sort.dir : (c.text ? 1 : -1) };
            draw();
          });
        }
        head.appendChild(th);
      });
      table.appendChild(head);
      var key = columns[sort.col].key;
      var sorted = rows().slice().sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) { return 0; }
        if (x === null) { return 1; }
        if (y === null) { return -1; }
        return (x < y ? -1 : 1) * sort.dir;
      });
      render(table, sorted);
    }
    return draw;
  }

  var drawServers;
  function serversTable() {
    var table = document.getElementById("servers-table");
    var lat = function (name) {
      return function (r) { return r.totals.latency_ms ? r.totals.latency_ms[name] : null; };
    };
    var columns = [
      { label: "server", text: true, key: function (r) { return r.server.endpoint; } },
      { label: "kind", text: true, key: function (r) { return r.server.kind; } },
      { label: "exchanges", key: function (r) { return r.totals.exchanges; } },
      { label: "refused", key: function (r) { return r.totals.refused; } },
      { label: "mean latency over time", title: "mean latency per " + fmtSeconds(data.axis.server_width_s) },
      { label: "min ms", key: lat("min") }, { label: "p50 ms", key: lat("p50") }, { label: "p90 ms", key: lat("p90") },
      { label: "p99 ms", key: lat("p99") }, { label: "max ms", key: lat("max") }
    ];
    function rows() {
      return data.servers.map(function (s, i) { return { i: i, server: s, totals: data.summary.servers[i] }; })
        .filter(function (r) { return state.kind === "all" || r.server.kind === state.kind; });
    }
    function render(table, sorted) {
      destroyCharts("spark-");
      sorted.forEach(function (r) {
        var p = "summary.servers." + r.i + ".";
        var tr = el("tr", { "data-server": String(r.i), "class": r.i === state.server ? "selected" : "" });
        var name = el("td", { "class": "text" });
        var a = el("a", { href: "#", title: "show this server in the plots" }, r.server.endpoint);
        a.addEventListener("click", function (e) { e.preventDefault(); selectServer(r.i); });
        name.appendChild(a);
        tr.appendChild(name);
        tr.appendChild(el("td", { "class": "text" }, r.server.kind));
        tr.appendChild(jsonCell(r.totals.exchanges, p + "exchanges"));
        tr.appendChild(jsonCell(r.totals.refused, p + "refused"));
        var spark = el("td", { "class": "spark", id: "spark-" + r.i });
        tr.appendChild(spark);
        ["min", "p50", "p90", "p99", "max"].forEach(function (c) {
          tr.appendChild(jsonCell(r.totals.latency_ms ? r.totals.latency_ms[c] : null, p + "latency_ms." + c, fmtMs));
        });
        table.appendChild(tr);
        sparkline(spark, r.server);
      });
    }
    drawServers = sortableTable(table, columns, rows, render, { col: 2, dir: -1 });
    var shown = data.servers.length;
    document.getElementById("servers-note").textContent = shown === 0 ? "No server was measured." :
      "The " + shown + " busiest of " + data.summary.server_count + " servers (flat --top N lists more). " +
      "Click a column to sort, a server to filter the plots by it. Sparklines: mean latency per " +
      fmtSeconds(data.axis.server_width_s) + ", on one time axis for all servers.";
  }

  function sparkline(td, server) {
    if (!server.timeline || data.axis.server_points === 0) {
      td.textContent = server.timeline ? "" : "no timeline";
      return;
    }
    var a = data.axis;
    var x = [];
    for (var i = 0; i < a.server_points; i++) { x.push(a.server_start_s + i * a.server_width_s); }
    var plot = new uPlot({
      width: 140, height: 30, pxAlign: false,
      cursor: { show: false }, legend: { show: false }, select: { show: false },
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: COLORS.spark, width: 1.25, fill: "rgba(31, 95, 168, 0.15)", spanGaps: true,
        // a line needs two points: a server seen in fewer than 4 points gets dots
        points: { show: nonNull(server.timeline.count) < 4, size: 4 } }]
    }, [x, server.timeline.mean_ms], td);
    charts.push({ id: td.id, plot: plot, colors: [COLORS.spark] });
  }

  var drawExchanges;
  var EXCHANGE_ROWS_SHOWN = 500;
  function exchangesTable() {
    var table = document.getElementById("exchanges-table");
    // rows: [time, kind, outcome, client, client_port, server, server_port, latency_ms, retransmits]
    function endpoint(addr, port) {
      if (port === null) { return addr; }
      return (addr.indexOf(":") >= 0 ? "[" + addr + "]" : addr) + ":" + port;
    }
    var rowsAll = data.exchanges.map(function (r) {
      return { time: r[0], kind: r[1], outcome: r[2], client: endpoint(r[3], r[4]), server: endpoint(r[5], r[6]),
        latency: r[7], retransmits: r[8] };
    });
    var columns = [
      { label: "time (UTC)", text: true, key: function (r) { return r.time; } },
      { label: "kind", text: true, key: function (r) { return r.kind; } },
      { label: "client", text: true, key: function (r) { return r.client; } },
      { label: "server", text: true, key: function (r) { return r.server; } },
      { label: "latency ms", key: function (r) { return r.latency; } },
      { label: "outcome", text: true, key: function (r) { return r.outcome; } },
      { label: "retransmits", key: function (r) { return r.retransmits; } }
    ];
    var matching = 0;
    function rows() {
      var sel = state.server >= 0 ? data.servers[state.server] : null;
      var out = rowsAll.filter(function (r) {
        return (state.kind === "all" || r.kind === state.kind) && (!sel || (r.kind === sel.kind && r.server === sel.endpoint));
      });
      matching = out.length;
      return out;
    }
    function render(table, sorted) {
      sorted.slice(0, EXCHANGE_ROWS_SHOWN).forEach(function (r) {
        var tr = el("tr");
        tr.appendChild(el("td", { "class": "text" }, r.time.replace("T", " ").replace("Z", "")));
        tr.appendChild(el("td", { "class": "text" }, r.kind));
        tr.appendChild(el("td", { "class": "text" }, r.client));
        tr.appendChild(el("td", { "class": "text" }, r.server));
        tr.appendChild(el("td", null, String(r.latency)));
        tr.appendChild(el("td", { "class": "text outcome-" + r.outcome }, r.outcome));
        tr.appendChild(el("td", null, String(r.retransmits)));
        table.appendChild(tr);
      });
      var rep = data.report;
      var held = rep.exchanges_total > rep.exchanges_shown ?
        "This page holds the first " + rep.exchanges_shown + " of " + rep.exchanges_total + " exchanges (the limit is " +
        rep.exchange_limit + " per page; every plot and table above covers all of them). " :
        "This page holds all " + rep.exchanges_total + " exchanges. ";
      document.getElementById("exchanges-note").textContent = held + matching + " match the filters" +
        (matching > EXCHANGE_ROWS_SHOWN ? ", of which the first " + EXCHANGE_ROWS_SHOWN + " in the chosen order are listed" : "") +
        ". Click a column to sort (slowest first: click latency).";
    }
    drawExchanges = sortableTable(table, columns, rows, render, { col: 4, dir: -1 });
  }

  // ---- filters applied ----

  function redraw() {
    hashFromState();
    var label = state.server >= 0 ? data.servers[state.server].kind + " " + data.servers[state.server].endpoint :
      (state.kind === "all" ? "all kinds" : state.kind);
    document.getElementById("filter-note").textContent = "Showing: " + label;
    document.getElementById("latency-title").textContent = "Latency over capture time — " + label;
    Array.prototype.forEach.call(document.querySelectorAll("#kinds-table tr[data-kind]"), function (tr) {
      tr.className = tr.getAttribute("data-kind") === state.kind ? "selected" : "";
    });
    drawTimeCharts();
    drawDistribution();
    drawServers();
    drawExchanges();
  }

  // ---- self check (#selfcheck): did every chart draw its series? ----

  function hexRgb(hex) {
    return [parseInt(hex.substr(1, 2), 16), parseInt(hex.substr(3, 2), 16), parseInt(hex.substr(5, 2), 16)];
  }

  /** Pixels of the plot canvas close to each series colour: a chart whose series drew has some. */
  function drawnColors(c) {
    var canvas = c.plot.ctx.canvas;
    var px = c.plot.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    return c.colors.map(function (hex) {
      var rgb = hexRgb(hex);
      var n = 0;
      for (var i = 0; i < px.length; i += 4) {
        if (px[i + 3] > 200 && Math.abs(px[i] - rgb[0]) < 24 && Math.abs(px[i + 1] - rgb[1]) < 24 &&
            Math.abs(px[i + 2] - rgb[2]) < 24) {
          n++;
        }
      }
      return { color: hex, pixels: n };
    });
  }

  function selfCheck() {
    var result = {
      errors: errors,
      charts: charts.map(function (c) {
        return { id: c.id, width: c.plot.ctx.canvas.width, height: c.plot.ctx.canvas.height, series: drawnColors(c) };
      }),
      json_cells: document.querySelectorAll("[data-json]").length,
      state: { kind: state.kind, server: state.server },
      exchange_rows: document.querySelectorAll("#exchanges-table tr").length - 1,
      server_rows: document.querySelectorAll("#servers-table tr").length - 1
    };
    var pre = el("pre", { id: "flat-selfcheck" }, JSON.stringify(result));
    pre.hidden = true;
    document.body.appendChild(pre);
  }

  try {
    header();
    kindsTable();
    countersTables();
    filters();
    serversTable();
    exchangesTable();
    redraw();
  } catch (e) {
    errors.push(String(e && e.stack || e));
    throw e;
  } finally {
    if ("selfcheck" in hash) {
      // uPlot draws in a microtask after construction; a timer runs after it.
      setTimeout(selfCheck, 0);
    }
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(redraw, 150);
  });
})();

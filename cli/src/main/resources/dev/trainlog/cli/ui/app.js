// TrainLog web view: three pages over the JSON API (/api/...). No build step; uPlot is the only library.
"use strict";
(function () {
  const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
  const main = document.getElementById("main");
  const banner = document.getElementById("banner");
  const params = new URLSearchParams(location.search);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "on") { for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn); }
      else if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
    return e;
  }

  async function api(path) {
    let res;
    try {
      res = await fetch(path, { credentials: "same-origin" });
    } catch (e) {
      showBanner("The server is unreachable; retrying…");
      throw e;
    }
    const body = await res.json();
    if (res.status === 503) showBanner(body.error + " — retrying…");
    else hideBanner();
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  }
  function showBanner(text) { banner.textContent = text; banner.hidden = false; }
  function hideBanner() { banner.hidden = true; }

  function num(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "string") return v;
    return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(+v.toPrecision(5));
  }
  function finite(v) { return typeof v === "number" ? v : null; }
  function duration(s) {
    if (s == null) return "";
    const h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    return h ? h + "h" + String(m).padStart(2, "0") + "m" : m ? m + "m" + String(sec).padStart(2, "0") + "s" : sec + "s";
  }
  function time(iso) { return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : ""; }
  function table(headers, rows, cls) {
    return el("table", { class: cls || "" }, el("thead", {}, el("tr", {}, ...headers.map(h => el("th", {}, h)))),
      el("tbody", {}, ...rows.map(r => el("tr", {}, ...r.map(c => c instanceof Node ? el("td", {}, c) : el("td", {}, c))))));
  }
  function kv(obj) {
    const entries = Object.entries(obj || {});
    if (!entries.length) return el("p", { class: "note" }, "none");
    return table(["key", "value"], entries.map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)]), "kv");
  }

  // ---- charts ----
  function ema(values, weight) {
    if (!weight) return values;
    let last = null;
    return values.map(v => { if (v == null) return null; last = last == null ? v : last * weight + (1 - weight) * v; return last; });
  }
  // Non-finite values as red-ringed markers pinned to the top (NaN, +Inf) or bottom (-Inf) of the finite
  // range, as the compare report draws them: one marker series per line, so live updates keep the shape.
  function markerValues(ys, lo, hi) {
    return ys.map(v => typeof v !== "string" ? null : v === "-Infinity" ? lo : hi);
  }
  function chart(container, metric, series, opts) {
    // series: [{label, xs, ys(raw, may hold strings)}]
    const box = el("div", { class: "chart", "data-metric": metric });
    container.append(box);
    box.append(el("h3", {}, metric));
    const plotDiv = el("div");
    box.append(plotDiv);
    const note = el("p", { class: "note" });
    box.append(note);
    let plot = null;
    function render() {
      const lines = series.map(s => ema(s.ys.map(finite), opts.smooth || 0));
      const finiteValues = series.flatMap(s => s.ys.filter(v => typeof v === "number" && (!opts.log || v > 0)));
      let lo = finiteValues.length ? Math.min(...finiteValues) : (opts.log ? 0.1 : 0);
      let hi = finiteValues.length ? Math.max(...finiteValues) : 1;
      if (opts.log && lo <= 0) lo = hi / 10;
      const pairs = [...series.map((s, i) => [s.xs, lines[i]]), ...series.map(s => [s.xs, markerValues(s.ys, lo, hi)])];
      const data = series.length === 1 ? [series[0].xs, pairs[0][1], pairs[1][1]] : uPlot.join(pairs);
      const drawn = series.map(s => s.ys.filter(v => typeof v === "number").length);
      const nonFinite = series.map(s => s.ys.filter(v => typeof v === "string").length);
      box.setAttribute("data-points", JSON.stringify(Object.fromEntries(series.map((s, i) => [s.label, drawn[i]]))));
      box.setAttribute("data-total-points", drawn.reduce((a, b) => a + b, 0));
      box.setAttribute("data-nonfinite", nonFinite.reduce((a, b) => a + b, 0));
      box.setAttribute("data-last-step", Math.max(...series.map(s => s.xs.length ? s.xs[s.xs.length - 1] : -1)));
      const markers = data.slice(1 + series.length).reduce((n, col) => n + col.filter(v => v != null).length, 0);
      box.setAttribute("data-markers", markers);
      const nf = nonFinite.reduce((a, b) => a + b, 0);
      note.textContent = nf ? nf + " non-finite value(s), drawn as red-ringed markers at the top (NaN, +Inf) or bottom (-Inf): "
        + series.filter((s, i) => nonFinite[i]).map(s => s.label + " at step(s) "
          + s.xs.filter((x, j) => typeof s.ys[j] === "string").slice(0, 5).join(", ")).join("; ") : "";
      if (plot) { plot.setData(data); return; }
      plot = new uPlot({
        width: opts.width || 560, height: 260,
        scales: { x: { time: opts.x === "time" }, y: { distr: opts.log ? 3 : 1 } },
        axes: [{ label: opts.x === "time" ? "" : opts.x === "relative" ? "seconds" : "step" }, {}],
        series: [{ label: opts.x === "step" ? "step" : "x" }, ...series.map((s, i) => ({
          label: s.label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: true,
          points: { show: false }
        })), ...series.map((s, i) => ({
          label: s.label + " (non-finite)", stroke: "#d00", fill: COLOURS[i % COLOURS.length], width: 1,
          paths: () => null, points: { show: true, size: 10, width: 2, stroke: "#d00", fill: COLOURS[i % COLOURS.length] }
        }))],
      }, data, plotDiv);
    }
    render();
    return { box, series, render };
  }

  // ---- Runs page ----
  async function runsPage() {
    const state = { sort: params.get("sort") || "start", dir: params.get("dir") || "desc" };
    const f = {
      experiment: el("select", { id: "f-experiment" }, el("option", { value: "" }, "all experiments")),
      status: el("select", { id: "f-status" }, ...["", "RUNNING", "STALE", "FINISHED", "FAILED", "KILLED", "UNKNOWN"]
        .map(s => el("option", { value: s }, s || "any status"))),
      text: el("input", { id: "f-text", placeholder: "search id, name, experiment", value: params.get("text") || "" }),
      where: el("input", { id: "f-where", placeholder: "config.model=SDXL", value: params.get("where") || "" }),
      metric: el("input", { id: "f-metric", value: params.get("metric") || "loss", size: 10 }),
    };
    const q = {
      reached: el("input", { id: "q-reached", value: params.get("reached") || "loss<0.05", size: 14 }),
      within: el("input", { id: "q-within", value: params.get("within") || "10000", size: 8 }),
      since: el("input", { id: "q-since", value: params.get("since") || "90d", size: 6 }),
    };
    const compare = el("button", { id: "compare", disabled: "" }, "Compare selected");
    const result = el("div", { id: "query-result" });
    const body = el("div", { id: "runs" });
    const selected = new Set((params.get("selected") || "").split(",").filter(Boolean));
    main.append(el("h1", {}, "Runs"),
      el("div", { class: "filters" }, f.experiment, f.status, f.text, f.where, el("label", {}, "metric ", f.metric), compare),
      el("div", { class: "query" }, "Which runs reached ", q.reached, " within ", q.within, " steps, started within ",
        q.since, el("button", { id: "q-run", on: { click: runQuery } }, "Ask"), result),
      body);
    compare.addEventListener("click", () => { location.href = "/compare?runs=" + [...selected].map(encodeURIComponent).join(","); });
    for (const input of Object.values(f)) input.addEventListener("change", refresh);
    f.text.addEventListener("input", refresh);
    let rows = [];
    let reachedIds = null;
    async function runQuery() {
      const qs = new URLSearchParams({ reached: q.reached.value, within: q.within.value, since: q.since.value });
      if (f.where.value) qs.append("where", f.where.value);
      result.textContent = "";
      try {
        const found = await api("/api/query?" + qs);
        reachedIds = new Set(found.map(r => r.run));
        result.append(el("p", { id: "query-count" }, found.length + " run(s) reached " + q.reached.value + " within " + q.within.value + " steps"),
          found.length ? table(["run", "experiment", "first step", "when", "value"], found.map(r => [
            el("a", { href: "/run?run=" + encodeURIComponent(r.run) }, r.name || r.run), r.experiment, r.step, time(r.time), num(r.value)])) : "");
      } catch (e) {
        result.append(el("p", { class: "error", id: "query-error" }, e.message));
      }
    }
    async function refresh() {
      const qs = new URLSearchParams();
      for (const k of ["experiment", "status", "text", "where", "metric"]) if (f[k].value) qs.set(k, f[k].value);
      try {
        rows = await api("/api/runs?" + qs);
      } catch (e) { return; }
      const experiments = [...new Set(rows.map(r => r.experiment))].sort();
      for (const x of experiments) if (![...f.experiment.options].some(o => o.value === x)) f.experiment.append(el("option", { value: x }, x));
      draw();
    }
    function draw() {
      const cols = [["", null], ["experiment", "experiment"], ["name", "name"], ["run", "run"], ["status", "status"],
        ["start", "start"], ["duration", "duration_s"], ["last step", "last_step"], ["last " + f.metric.value, "last"],
        ["best " + f.metric.value, "best"]];
      const sorted = [...rows].sort((a, b) => {
        const x = a[state.sort], y = b[state.sort];
        const c = x == null ? -1 : y == null ? 1 : typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return state.dir === "asc" ? c : -c;
      });
      const head = el("tr", {}, ...cols.map(([label, key]) => el("th", {
        class: key ? "sortable" + (state.sort === key ? " sorted-" + state.dir : "") : "", "data-key": key,
        on: key ? { click: () => { state.dir = state.sort === key && state.dir === "desc" ? "asc" : "desc"; state.sort = key; draw(); } } : {}
      }, label)));
      const trs = sorted.map(r => {
        const box = el("input", { type: "checkbox", class: "pick", "data-run": r.run });
        box.checked = selected.has(r.run);
        box.addEventListener("change", () => { box.checked ? selected.add(r.run) : selected.delete(r.run); updateCompare(); });
        return el("tr", { "data-run": r.run, class: reachedIds && reachedIds.has(r.run) ? "reached" : "" },
          el("td", {}, box), el("td", {}, r.experiment),
          el("td", {}, el("a", { href: "/run?run=" + encodeURIComponent(r.run), class: "run-link" }, r.name || r.run)),
          el("td", {}, r.run), el("td", { class: "status-" + r.status }, r.status), el("td", {}, time(r.start)),
          el("td", { class: "num" }, duration(r.duration_s)), el("td", { class: "num" }, r.last_step ?? ""),
          el("td", { class: "num" }, num(r.last)), el("td", { class: "num" }, num(r.best)));
      });
      body.replaceChildren(el("p", { class: "note", id: "run-count" }, rows.length + " run(s)"),
        el("table", { id: "runs-table" }, el("thead", {}, head), el("tbody", {}, ...trs)));
      updateCompare();
    }
    function updateCompare() { if (selected.size >= 2) compare.removeAttribute("disabled"); else compare.setAttribute("disabled", ""); }
    await refresh();
    if (params.get("reached")) runQuery();
    document.getElementById("live").classList.add("on");
    setInterval(refresh, 2000); // new runs and status changes without reload
  }

  // ---- Run page ----
  async function runPage() {
    const id = params.get("run");
    if (!id) { main.append(el("p", { class: "error" }, "no run given: open /run?run=RUN_ID")); return; }
    let run;
    try { run = await api("/api/runs/" + encodeURIComponent(id)); }
    catch (e) { main.append(el("p", { class: "error", id: "error" }, e.message)); return; }
    const status = el("span", { class: "status-" + run.status, id: "status" }, run.status);
    main.append(el("h1", {}, (run.experiment || "") + " / " + (run.name || run.run) + " ", status),
      el("p", { class: "note" }, "run " + run.run + " · host " + (run.host || "?") + " · started " + time(run.start) +
        " · ranks " + run.ranks));
    const charts = el("div", { class: "charts", id: "charts" });
    main.append(el("h2", {}, "Charts"), charts);
    const delivery = el("div", { id: "delivery" });
    function drawDelivery(r) {
      status.textContent = r.status; status.className = "status-" + r.status;
      delivery.replaceChildren(table(["rank", "status", "stored up to step", "logged at", "heartbeat reported step", "heartbeat"],
        r.delivery.map(d => [d.rank, d.status || "", d.stored_step ?? "none yet", time(d.stored_at), d.reported_step ?? "", time(d.heartbeat)]), "delivery"));
    }
    // Alerts are not stored: the rules in the URL (?alert=..., the words of `trainlog watch --alert`) are
    // checked over the stored points, by default nan(m) for each metric; they are checked again as points arrive.
    const rules = params.getAll("alert");
    const alertInput = el("input", { id: "alert-rules", size: 40, value: rules.join("; "), placeholder: "nan(loss); loss > 2" });
    const alertForm = el("div", { class: "controls" }, "rules ", alertInput, el("button", { id: "alert-check", on: { click: () => {
      const qs = new URLSearchParams(location.search);
      qs.delete("alert");
      alertInput.value.split(";").map(r => r.trim()).filter(Boolean).forEach(r => qs.append("alert", r));
      history.replaceState(null, "", "/run?" + qs);
      checkAlerts();
    } } }, "Check"));
    const alertBox = el("div", { id: "alerts" });
    async function checkAlerts() {
      const qs = new URLSearchParams();
      const asked = new URLSearchParams(location.search).getAll("alert");
      // by default nan(m) for each metric charted, live ones too (the stored summary lags by a heartbeat)
      (asked.length ? asked : Object.keys(byMetric).filter(m => /^[A-Za-z_][\w./\-]*$/.test(m)).map(m => "nan(" + m + ")"))
        .forEach(r => qs.append("rule", r));
      try {
        const found = await api("/api/runs/" + encodeURIComponent(id) + "/alerts?" + qs);
        const fired = found.filter(a => a.fired).length;
        alertBox.replaceChildren(el("p", { id: "alert-count", class: fired ? "error" : "note" }, fired + " of " + found.length + " rule(s) fired"),
          table(["rule", "fired", "times", "first step", "first value", "when", "last step"], found.map(a => [a.rule,
            a.fired ? "yes" : "no", a.count, a.first_step ?? "", num(a.first_value), time(a.first_time), a.last_step ?? ""]), "alerts"));
        alertBox.querySelectorAll("tbody tr").forEach((tr, i) => tr.className = found[i].fired ? "fired" : "quiet");
      } catch (e) {
        alertBox.replaceChildren(el("p", { class: "error", id: "alert-error" }, e.message));
      }
    }
    let refreshing = null;
    function refreshLater() { // the run's delivery and alerts follow the live points, at most once a second
      if (refreshing) return;
      refreshing = setTimeout(async () => {
        try { drawDelivery(await api("/api/runs/" + encodeURIComponent(id))); await checkAlerts(); } catch (e) { /* banner shown */ }
        refreshing = null;
      }, 1000);
    }
    const byMetric = {};
    const metrics = run.summary.map(s => s.metric);
    await Promise.all(metrics.map(async m => {
      const s = await api("/api/runs/" + encodeURIComponent(id) + "/series?metric=" + encodeURIComponent(m) + "&points=10000");
      byMetric[m] = { xs: s.steps, ys: s.values, label: run.name || run.run };
    }));
    for (const m of metrics) byMetric[m].chart = chart(charts, m, [byMetric[m]], { x: "step" });
    main.append(el("h2", {}, "Summary"), table(["metric", "points", "first step", "last step", "last", "min", "max", "non-finite"],
      run.summary.map(s => [s.metric, s.count, s.first_step, s.last_step, num(s.last), num(s.min), num(s.max), s.non_finite])),
      el("h2", {}, "Config"), kv(run.config), el("h2", {}, "Tags"), kv(run.tags),
      el("h2", {}, "Backends and their sampling"), kv(run.backends),
      el("h2", {}, "Delivered to this store"), delivery,
      el("p", { class: "note" }, "How far the MongoDB backend writing this store has delivered: the newest step stored per rank, and what the rank's last heartbeat reported. The other backends deliver elsewhere and report no progress to the store."),
      el("h2", {}, "Alerts"), alertForm, alertBox,
      el("h2", {}, "Provenance"), kv(run.provenance));
    drawDelivery(run);
    checkAlerts();
    const after = Math.min(...Object.values(byMetric).map(s => s.xs.length ? s.xs[s.xs.length - 1] : -1), run.last_step ?? -1);
    const source = new EventSource("/api/stream?run=" + encodeURIComponent(id) + (isFinite(after) && after >= 0 ? "&after=" + after : ""));
    const live = document.getElementById("live");
    source.onopen = () => { live.classList.add("on"); hideBanner(); };
    source.onerror = () => { live.classList.remove("on"); showBanner("Live updates interrupted; reconnecting…"); };
    source.addEventListener("points", ev => {
      const update = JSON.parse(ev.data);
      for (const [m, pts] of Object.entries(update)) {
        let s = byMetric[m];
        if (!s) { s = byMetric[m] = { xs: [], ys: [], label: run.name || run.run }; s.chart = chart(charts, m, [s], { x: "step" }); }
        const last = s.xs.length ? s.xs[s.xs.length - 1] : -Infinity;
        pts.steps.forEach((step, i) => { if (step > last) { s.xs.push(step); s.ys.push(pts.values[i]); } });
        s.chart.render();
      }
      refreshLater();
    });
  }

  // ---- Compare page ----
  async function comparePage() {
    const ids = (params.get("runs") || "").split(",").filter(Boolean);
    if (ids.length === 0) { main.append(el("p", { id: "error" }, "Pick runs on the Runs page (checkboxes), then Compare.")); return; }
    const opts = { smooth: +(params.get("smooth") || 0), log: params.get("log") === "1", x: params.get("x") || "step" };
    const smooth = el("input", { type: "range", min: 0, max: 0.99, step: 0.01, value: opts.smooth, id: "c-smooth" });
    const log = el("input", { type: "checkbox", id: "c-log" });
    log.checked = opts.log;
    const x = el("select", { id: "c-x" }, ...["step", "time", "relative"].map(v => el("option", { value: v }, v === "time" ? "wall time" : v === "relative" ? "relative time" : "step")));
    x.value = opts.x;
    const save = el("button", { id: "c-save" }, "Save as report");
    main.append(el("h1", {}, "Compare " + ids.length + " runs"),
      el("div", { class: "controls" }, el("label", {}, "smoothing ", smooth), el("label", {}, log, " log scale"),
        el("label", {}, "x ", x), save));
    let runs;
    try { runs = await Promise.all(ids.map(id => api("/api/runs/" + encodeURIComponent(id)))); }
    catch (e) { main.append(el("p", { class: "error", id: "error" }, e.message)); return; }
    main.append(el("p", { class: "note", id: "compared" }, runs.map(r => (r.name || r.run) + " (" + r.run + ")").join(" · ")));
    const wanted = params.get("metric") ? params.get("metric").split(",") : null;
    const metrics = [...new Set(runs.flatMap(r => r.summary.map(s => s.metric)))].filter(m => !wanted || wanted.includes(m));
    const data = {};
    await Promise.all(metrics.flatMap(m => runs.filter(r => r.summary.some(s => s.metric === m)).map(async r => {
      const s = await api("/api/runs/" + encodeURIComponent(r.run) + "/series?metric=" + encodeURIComponent(m) + "&points=2000");
      (data[m] = data[m] || []).push({ run: r, s });
    })));
    const charts = el("div", { class: "charts", id: "charts" });
    main.append(charts);
    function draw() {
      charts.replaceChildren();
      for (const m of metrics) {
        const series = (data[m] || []).sort((a, b) => ids.indexOf(a.run.run) - ids.indexOf(b.run.run)).map(({ run, s }) => {
          const t0 = s.times.length ? s.times[0] : 0;
          const xs = opts.x === "time" ? s.times.map(t => t / 1000) : opts.x === "relative" ? s.times.map(t => (t - t0) / 1000) : s.steps;
          return { label: run.name || run.run, xs, ys: s.values };
        });
        chart(charts, m, series, { ...opts, width: 620 });
      }
    }
    draw();
    const diff = await api("/api/diff?runs=" + ids.map(encodeURIComponent).join(","));
    main.append(el("h2", {}, "Config diff"), Object.keys(diff.diff).length
      ? table(["key", ...runs.map(r => r.name || r.run)], Object.entries(diff.diff).map(([k, vs]) => [k, ...vs.map(v => v == null ? "—" : JSON.stringify(v))]), "diff")
      : el("p", { class: "note" }, "same config"));
    function remember() {
      const qs = new URLSearchParams(location.search);
      qs.set("smooth", opts.smooth); qs.set("log", opts.log ? "1" : "0"); qs.set("x", opts.x);
      history.replaceState(null, "", "/compare?" + qs.toString().replace(/%2C/g, ","));
    }
    smooth.addEventListener("change", () => { opts.smooth = +smooth.value; remember(); draw(); });
    log.addEventListener("change", () => { opts.log = log.checked; remember(); draw(); });
    x.addEventListener("change", () => { opts.x = x.value; remember(); draw(); });
    save.addEventListener("click", () => saveReport(ids, metrics, data, diff));
  }

  // A self-contained page: uPlot, the style and this view's data inlined; nothing is fetched when it opens.
  async function saveReport(ids, metrics, data, diff) {
    const [js, css, appCss] = await Promise.all(["/assets/uplot.js", "/assets/uplot.css", "/assets/app.css"].map(p => fetch(p).then(r => r.text())));
    const payload = JSON.stringify({ metrics, data: Object.fromEntries(metrics.map(m => [m, (data[m] || []).map(d => ({ label: d.run.name || d.run.run, xs: d.s.steps, ys: d.s.values }))])), diff: diff.diff })
      .replace(/</g, "\\u003c");
    const script = "const D=" + payload + ";const C=" + JSON.stringify(COLOURS) + ";for(const m of D.metrics){const b=document.createElement('div');b.className='chart';" +
      "b.innerHTML='<h3></h3>';b.firstChild.textContent=m;document.body.append(b);const s=D.data[m];" +
      "const a=s.map(x=>[x.xs,x.ys.map(v=>typeof v==='number'?v:null)]);new uPlot({width:620,height:260,series:[{}," +
      "...s.map((x,i)=>({label:x.label,stroke:C[i%C.length],spanGaps:true}))]},a.length===1?a[0]:uPlot.join(a),b);}";
    const html = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>TrainLog compare " + ids.join(", ").replace(/</g, "") +
      "</title><style>" + css + appCss + "</style></head><body><h1>Compare</h1><script>" + js.replace(/<\/script/gi, "<\\/script") +
      "<\/script><script>" + script + "<\/script></body></html>";
    const a = el("a", { href: URL.createObjectURL(new Blob([html], { type: "text/html" })), download: "trainlog-compare.html" });
    document.body.append(a); a.click(); a.remove();
  }

  const page = document.body.dataset.page;
  (page === "runs" ? runsPage() : page === "run" ? runPage() : comparePage())
    .then(() => document.body.setAttribute("data-ready", "1"))
    .catch(e => { main.append(el("p", { class: "error" }, String(e.message || e))); document.body.setAttribute("data-ready", "1"); });
})();

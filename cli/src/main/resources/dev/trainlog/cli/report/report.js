// Draws the compare report from the embedded JSON with uPlot: one chart per metric, one line per run,
// non-finite values as red markers pinned to the chart's top (NaN, +Inf) or bottom (-Inf).
// After each draw it records what it drew on the chart element (data-lines, data-points, data-markers)
// so a headless browser test can read it back from the DOM.
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('trainlog-report').textContent);
  var COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
    '#bcbd22', '#17becf'];
  var state = { smooth: Math.min(0.99, Math.max(0, report.smooth || 0)), log: false, fullRange: false };
  var charts = [];

  function num(v) {
    if (typeof v === 'number') return v;
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return null;
  }

  function tick(v) {
    if (v === null || v === undefined) return '';
    var a = Math.abs(v);
    return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(4)));
  }

  function label(s) {
    return s.experiment + ' / ' + s.name;
  }

  // TensorBoard's smoothing: an exponential moving average, debiased at the start; non-finite points skipped.
  function smooth(values, weight) {
    if (!(weight > 0)) return values.slice();
    var out = new Array(values.length);
    var last = 0, n = 0;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v === null || !isFinite(v)) { out[i] = null; continue; }
      last = last * weight + (1 - weight) * v;
      n++;
      out[i] = last / (1 - Math.pow(weight, n));
    }
    return out;
  }

  function build(metric, index) {
    var series = report.series.filter(function (s) { return s.metric === metric; });
    var useTime = report.x === 'time';
    var xsOf = function (s) { return useTime ? s.times : s.steps; };
    var xset = {};
    series.forEach(function (s) { xsOf(s).forEach(function (x) { xset[x] = true; }); });
    var xs = Object.keys(xset).map(Number).sort(function (a, b) { return a - b; });
    var pos = {};
    xs.forEach(function (x, i) { pos[x] = i; });
    var lo = Infinity, hi = -Infinity;
    series.forEach(function (s) {
      s.values.forEach(function (v) {
        var n = num(v);
        if (n !== null && isFinite(n) && (!state.log || n > 0)) { lo = Math.min(lo, n); hi = Math.max(hi, n); }
      });
    });
    if (lo === Infinity) { lo = state.log ? 0.1 : 0; hi = 1; }
    var range = state.fullRange || state.log ? null : robustRange(series, lo, hi);
    if (range) { lo = range[0]; hi = range[1]; }
    var data = [xs];
    var uSeries = [{ label: useTime ? 'seconds' : 'step' }];
    var raw = [];
    series.forEach(function (s, k) {
      var color = COLORS[k % COLORS.length];
      var line = new Array(xs.length).fill(null);
      var xsS = xsOf(s);
      s.values.forEach(function (v, i) {
        var n = num(v);
        if (n !== null && isFinite(n) && (!state.log || n > 0)) line[pos[xsS[i]]] = n;
      });
      data.push(smooth(line, state.smooth));
      uSeries.push({ label: label(s), stroke: color, width: 1.5, spanGaps: true, points: { show: false },
        run: s.run, kind: 'line' });
    });
    series.forEach(function (s, k) {
      var color = COLORS[k % COLORS.length];
      var marker = new Array(xs.length).fill(null);
      var rawMarker = new Array(xs.length).fill(null);
      var xsS = xsOf(s);
      var count = 0;
      s.values.forEach(function (v, i) {
        var n = num(v);
        if (n !== null && !isFinite(n)) {
          marker[pos[xsS[i]]] = n === -Infinity ? lo : hi;
          rawMarker[pos[xsS[i]]] = String(v);
          count++;
        }
      });
      if (count === 0) return;
      raw[data.length] = rawMarker;
      data.push(marker);
      uSeries.push({ label: label(s) + ' (non-finite)', stroke: '#d00', fill: color, width: 1, run: s.run,
        kind: 'marker', paths: function () { return null; },
        points: { show: true, size: 10, width: 2, stroke: '#d00', fill: color },
        value: (function (r) { return function (u, v, si, idx) { return idx == null || r[idx] == null ? '--' : r[idx]; }; })(rawMarker) });
    });
    return { data: data, series: uSeries, lo: lo, hi: hi, range: range };
  }

  // The 2nd to 98th percentile of the finite values, padded by a tenth, when that cuts outliers off; else null.
  function robustRange(series, lo, hi) {
    var values = [];
    series.forEach(function (s) {
      s.values.forEach(function (v) { var n = num(v); if (n !== null && isFinite(n)) values.push(n); });
    });
    if (values.length < 20) return null;
    values.sort(function (a, b) { return a - b; });
    var qlo = values[Math.floor(0.02 * (values.length - 1))];
    var qhi = values[Math.ceil(0.98 * (values.length - 1))];
    var pad = (qhi - qlo) * 0.1 || Math.abs(qhi) * 0.1 || 1;
    var rlo = Math.max(lo, qlo - pad), rhi = Math.min(hi, qhi + pad);
    return rlo > lo || rhi < hi ? [rlo, rhi] : null;
  }

  function record(u, el) {
    var lines = 0, points = {}, markers = {};
    for (var i = 1; i < u.series.length; i++) {
      var s = u.series[i];
      var n = 0;
      u.data[i].forEach(function (v) { if (v !== null && v !== undefined) n++; });
      if (s.kind === 'line') { lines++; points[s.run] = n; } else { markers[s.run] = n; }
    }
    el.setAttribute('data-lines', String(lines));
    el.setAttribute('data-points', JSON.stringify(points));
    el.setAttribute('data-markers', JSON.stringify(markers));
    el.setAttribute('data-drawn', String(Number(el.getAttribute('data-drawn') || '0') + 1));
    el.setAttribute('data-y-range', u.scales.y.min + ',' + u.scales.y.max);
  }

  function render() {
    charts.forEach(function (c) { c.u.destroy(); });
    charts = [];
    report.metrics.forEach(function (metric, index) {
      var el = document.getElementById('chart-' + index);
      var plotEl = el.querySelector('.plot');
      var built = build(metric, index);
      var width = Math.max(480, Math.min(1200, document.documentElement.clientWidth - 60));
      var opts = {
        width: width, height: 320,
        series: built.series,
        scales: { x: { time: false }, y: state.log ? { distr: 3 }
          : built.range ? { auto: false, range: [built.range[0], built.range[1]] } : {} },
        axes: [{ label: report.x === 'time' ? 'seconds since the run started' : 'step' },
          { label: metric, size: 70, values: function (u, splits) { return splits.map(tick); } }],
        cursor: { sync: { key: 'trainlog' }, drag: { x: true, y: false } },
        legend: { live: true },
        hooks: { draw: [function (u) { record(u, el); }] }
      };
      charts.push({ u: new uPlot(opts, built.data, plotEl) });
    });
    document.body.setAttribute('data-rendered', String(charts.length));
  }

  function setUp() {
    var main = document.getElementById('charts');
    report.metrics.forEach(function (metric, index) {
      var el = document.createElement('div');
      el.className = 'chart';
      el.id = 'chart-' + index;
      el.setAttribute('data-metric', metric);
      var h = document.createElement('h2');
      h.textContent = metric;
      el.appendChild(h);
      var nonFinite = report.series.filter(function (s) { return s.metric === metric; })
        .reduce(function (a, s) { return a + s.values.filter(function (v) { return typeof v === 'string'; }).length; }, 0);
      if (nonFinite > 0) {
        var note = document.createElement('div');
        note.className = 'nan-note';
        note.textContent = nonFinite + ' non-finite value(s), drawn as red-ringed markers at the top (NaN, +Inf) or bottom (-Inf)';
        el.appendChild(note);
      }
      var plot = document.createElement('div');
      plot.className = 'plot';
      el.appendChild(plot);
      main.appendChild(el);
    });
    var slider = document.getElementById('smooth');
    var shown = document.getElementById('smooth-value');
    slider.value = state.smooth;
    shown.textContent = state.smooth.toFixed(2);
    slider.addEventListener('input', function () {
      state.smooth = Number(slider.value);
      shown.textContent = state.smooth.toFixed(2);
      render();
    });
    document.getElementById('log').addEventListener('change', function (e) {
      state.log = e.target.checked;
      render();
    });
    document.getElementById('full-range').addEventListener('change', function (e) {
      state.fullRange = e.target.checked;
      render();
    });
    render();
  }

  setUp();
})();

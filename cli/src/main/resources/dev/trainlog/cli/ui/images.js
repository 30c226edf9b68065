// Sample images side by side per step, one column per run (and rank), with a step slider per key.
// Shared by the web view (images listed by /api/runs/{run}/images, bytes fetched per shown step) and the
// compare report (images inlined as data URIs in <script type="application/json" id="trainlog-images">).
// Each panel records what it shows on its element (data-key, data-step, data-steps, data-shown) and each
// <img> gets data-loaded="1" once decoded, so a headless browser test can read it back from the DOM.
(function () {
  "use strict";

  var STYLE = ".image-panel{background:#fff;border:1px solid #e5e7eb;padding:.5em .7em;margin:.8em 0}" +
    ".image-panel h3{font-size:1em;margin:0 0 .3em}" +
    ".image-controls{display:flex;gap:.8em;align-items:center;margin:.2em 0 .5em}" +
    ".image-controls input[type=range]{width:min(600px,60vw)}" +
    ".image-grid{display:flex;gap:1em;align-items:flex-start;overflow-x:auto}" +
    ".image-col{display:flex;flex-direction:column;gap:.3em;min-width:120px}" +
    ".image-col .caption{font-weight:600;font-size:.9em}" +
    ".image-col img{max-width:384px;height:auto;border:1px solid #ddd;image-rendering:auto}" +
    ".image-col .none{color:#6b7280;font-size:.9em}.images-note{color:#6b7280;font-size:.9em}";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] != null) e.setAttribute(k, String(attrs[k])); });
    if (text != null) e.textContent = text;
    return e;
  }

  function unique(values) {
    var seen = {}, out = [];
    values.forEach(function (v) { if (!seen[v]) { seen[v] = true; out.push(v); } });
    return out;
  }

  // data: {columns: [{id, label}], images: [{key, column, step, index, src or file, width, height}], files, note};
  // an inlined image names its data URI in data.files, so bytes shared by several steps are in the page once.
  function render(container, data) {
    if (!document.getElementById("trainlog-images-style")) {
      var style = el("style", { id: "trainlog-images-style" });
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
    container.textContent = "";
    container.appendChild(el("h2", {}, "Sample images"));
    if (data.note) container.appendChild(el("p", { class: "images-note" }, data.note));
    var keys = unique(data.images.map(function (i) { return i.key; }));
    keys.forEach(function (key) { container.appendChild(panel(key, data)); });
    container.hidden = false;
    container.setAttribute("data-images-ready", "1");
  }

  function panel(key, data) {
    var images = data.images.filter(function (i) { return i.key === key; });
    var steps = unique(images.map(function (i) { return i.step; })).sort(function (a, b) { return a - b; });
    var box = el("div", { class: "image-panel", "data-key": key, "data-steps": steps.length });
    box.appendChild(el("h3", {}, key));
    var slider = el("input", { type: "range", class: "image-step", min: 0, max: steps.length - 1, step: 1,
      value: steps.length - 1, "aria-label": key + " step" });
    var label = el("span", { class: "image-step-label" });
    var controls = el("div", { class: "image-controls" });
    controls.appendChild(slider);
    controls.appendChild(label);
    box.appendChild(controls);
    var grid = el("div", { class: "image-grid" });
    box.appendChild(grid);
    function show() {
      var step = steps[Number(slider.value)];
      label.textContent = "step " + step + " (" + (Number(slider.value) + 1) + " of " + steps.length + ")";
      box.setAttribute("data-step", step);
      grid.textContent = "";
      var shown = 0;
      data.columns.forEach(function (col) {
        var cell = el("div", { class: "image-col", "data-column": col.id });
        cell.appendChild(el("div", { class: "caption" }, col.label));
        var here = images.filter(function (i) { return i.column === col.id && i.step === step; })
          .sort(function (a, b) { return a.index - b.index; });
        if (here.length === 0) cell.appendChild(el("div", { class: "none" }, "no image at this step"));
        here.forEach(function (i) {
          var img = el("img", { src: i.src || data.files[i.file], alt: key + " @ " + step + " (" + col.label + ")", width: i.width || null,
            title: col.label + " · " + key + " @ " + step + (here.length > 1 ? " #" + i.index : "") + " · " + i.width + "×" + i.height,
            "data-column": col.id, "data-step": step, "data-index": i.index });
          img.addEventListener("load", function () { img.setAttribute("data-loaded", "1"); });
          img.addEventListener("error", function () { img.setAttribute("data-loaded", "error"); });
          cell.appendChild(img);
          shown++;
        });
        grid.appendChild(cell);
      });
      box.setAttribute("data-shown", shown);
    }
    slider.addEventListener("input", show);
    show();
    return box;
  }

  // The web view: the runs of the Run page (?run=) or the Compare page (?runs=a,b), read from the API.
  function fromApi(container) {
    var params = new URLSearchParams(location.search);
    var page = document.body.getAttribute("data-page");
    var ids = page === "run" ? [params.get("run")] : (params.get("runs") || "").split(",");
    ids = ids.filter(Boolean);
    if (ids.length === 0) return;
    Promise.all(ids.map(function (id) {
      return fetch("/api/runs/" + encodeURIComponent(id) + "/images", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { run: id, name: id, images: [] }; });
    })).then(function (lists) {
      var data = { columns: [], images: [] };
      lists.forEach(function (list) {
        var ranks = unique(list.images.map(function (i) { return i.rank; }));
        ranks.forEach(function (rank) {
          var id = list.run + (ranks.length > 1 ? "#" + rank : "");
          data.columns.push({ id: id, label: (list.name || list.run) + (ranks.length > 1 ? " · rank " + rank : "") });
        });
        list.images.forEach(function (i) {
          data.images.push({ key: i.key, column: list.run + (ranks.length > 1 ? "#" + i.rank : ""), step: i.step,
            index: i.index, src: i.url, width: i.width, height: i.height });
        });
      });
      if (data.images.length === 0) { container.setAttribute("data-images-ready", "1"); return; }
      afterPageDrawn(function () {
        var charts = document.getElementById("charts");
        if (charts) charts.after(container); // under the charts rather than below config and provenance
        render(container, data);
      });
    });
  }

  // app.js sets data-ready on <body> once the page's own content is drawn.
  function afterPageDrawn(then) {
    if (document.body.getAttribute("data-ready") === "1") { then(); return; }
    var watch = new MutationObserver(function () {
      if (document.body.getAttribute("data-ready") === "1") { watch.disconnect(); then(); }
    });
    watch.observe(document.body, { attributes: true, attributeFilter: ["data-ready"] });
  }

  var inlined = document.getElementById("trainlog-images");
  var container = document.getElementById("images");
  if (container && inlined) {
    var data = JSON.parse(inlined.textContent);
    if (data.images.length > 0) render(container, data);
    else container.setAttribute("data-images-ready", "1");
  }
  else if (container && document.body.getAttribute("data-page")) fromApi(container);
})();

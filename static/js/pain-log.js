// The pain log: entries of pain 0-10 (and a note) made before and after a guided session,
// kept in this browser's localStorage only. Nothing here makes a request: the log never
// leaves the device unless the person downloads it. window.PainLog.add stores an entry
// for the session's forms (session.js loads this file on their first save); the routine's
// page (routines/shared.html) gets the chart, the table, the CSV download and "Delete my log".
// Words come from the page as JSON (pain_log_text in routines/templatetags/session_text.py).
(function () {
  "use strict";

  const PREFIX = "acupressure:pain-log:";
  const PHASES = ["before", "after"];
  const SVG = "http://www.w3.org/2000/svg";

  let words = null;
  function text() {
    if (!words) words = JSON.parse(document.getElementById("pain-log-text").textContent);
    return words;
  }
  const { format } = window.acupressure;

  // A saved routine's log is under its token; the working routine's under "working".
  function read(key) {
    let entries;
    try {
      entries = JSON.parse(localStorage.getItem(PREFIX + key) || "[]");
    } catch (error) {
      return [];
    }
    if (!Array.isArray(entries)) return [];
    // Anything else in there (edited by hand, an older shape) is left out, not shown wrong.
    return entries
      .filter(
        (entry) =>
          entry &&
          PHASES.includes(entry.phase) &&
          Number.isInteger(entry.pain) &&
          entry.pain >= 0 &&
          entry.pain <= 10 &&
          !Number.isNaN(Date.parse(entry.time))
      )
      .map((entry) => ({ time: entry.time, phase: entry.phase, pain: entry.pain, note: String(entry.note || "") }))
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  }

  // Throws where the browser refuses to store (storage off, full): the caller says so.
  function add(key, phase, pain, note) {
    const entry = { time: new Date().toISOString(), phase, pain, note };
    localStorage.setItem(PREFIX + key, JSON.stringify(read(key).concat([entry])));
    return entry;
  }

  function clear(key) {
    localStorage.removeItem(PREFIX + key);
  }

  window.PainLog = { add };

  // The routine's page ----------------------------------------------------------------

  const section = document.querySelector("[data-pain-log]");
  if (!section) return;
  const key = section.dataset.painLog;
  const part = (name) => section.querySelector("[data-pain-log-" + name + "]");
  const [empty, filled, chart, desc, rows, tableSummary, download, remove, confirm, confirmText, yes, cancel, status] = [
    "empty", "entries", "chart", "desc", "rows", "table-summary", "download", "delete", "confirm",
    "confirm-text", "confirm-yes", "cancel", "status",
  ].map(part);
  const language = document.documentElement.lang || undefined;
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
  const dateOnly = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
  const phaseName = (phase) => text()[phase];
  const plural = (forms, count) => forms[count === 1 ? 0 : 1];

  // The chart's drawing area in viewBox units (the SVG's viewBox is 600 × 230).
  const AREA = { left: 40, right: 584, top: 14, bottom: 196 };
  const INSET = 14; // the first and last marks clear the axis labels

  function svg(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([attribute, value]) => node.setAttribute(attribute, value));
    parent.appendChild(node);
    return node;
  }

  function describe(entries) {
    const first = dateOnly.format(new Date(entries[0].time));
    const last = dateOnly.format(new Date(entries[entries.length - 1].time));
    const sentences = [
      entries.length === 1
        ? format(text().summary_one, { first })
        : format(text().summary_many, { count: entries.length, first, last }),
    ];
    PHASES.forEach((phase) => {
      const series = entries.filter((entry) => entry.phase === phase);
      if (series.length) {
        const values = { first: series[0].pain, last: series[series.length - 1].pain };
        sentences.push(format(text()["trend_" + phase], values));
      }
    });
    return sentences.join(" ");
  }

  // Entries in time order, evenly spaced: a week of two sessions a day stays readable,
  // and the table has the exact times. Before and after differ in line and marker, not
  // in colour only.
  function clearChart() {
    Array.from(chart.children).forEach((node) => {
      if (node.localName !== "title" && node.localName !== "desc") node.remove();
    });
    desc.textContent = "";
  }

  function drawChart(entries) {
    clearChart();
    desc.textContent = describe(entries);
    const width = AREA.right - AREA.left - 2 * INSET;
    const x = (n) => AREA.left + INSET + (entries.length === 1 ? width / 2 : (n * width) / (entries.length - 1));
    const y = (pain) => AREA.bottom - ((AREA.bottom - AREA.top) * pain) / 10;

    const axes = svg("g", { class: "pain-log__axes", "aria-hidden": "true" }, chart);
    for (let pain = 0; pain <= 10; pain += 2) {
      svg("line", { class: "pain-log__grid", x1: AREA.left, x2: AREA.right, y1: y(pain), y2: y(pain) }, axes);
      svg("text", { class: "pain-log__tick", x: AREA.left - 10, y: y(pain), "text-anchor": "end", "dominant-baseline": "middle" }, axes)
        .textContent = pain;
    }
    const firstDay = dateOnly.format(new Date(entries[0].time));
    const lastDay = dateOnly.format(new Date(entries[entries.length - 1].time));
    const single = entries.length === 1 || firstDay === lastDay;
    const middle = (AREA.left + AREA.right) / 2;
    svg("text", { class: "pain-log__tick", x: single ? middle : AREA.left, y: 222, "text-anchor": single ? "middle" : "start" }, axes)
      .textContent = firstDay;
    if (!single) {
      svg("text", { class: "pain-log__tick", x: AREA.right, y: 222, "text-anchor": "end" }, axes).textContent = lastDay;
    }

    PHASES.forEach((phase) => {
      const series = svg("g", { class: "pain-log__series pain-log__series--" + phase, "data-series": phase }, chart);
      const points = entries.map((entry, n) => ({ entry, n })).filter(({ entry }) => entry.phase === phase);
      if (points.length > 1) {
        const path = points.map(({ entry, n }) => x(n) + "," + y(entry.pain)).join(" ");
        svg("polyline", { class: "pain-log__line pain-log__line--" + phase, points: path }, series);
      }
      points.forEach(({ entry, n }) => {
        const mark =
          phase === "before"
            ? svg("circle", { cx: x(n), cy: y(entry.pain), r: 6 }, series)
            : svg("rect", { x: x(n) - 5.5, y: y(entry.pain) - 5.5, width: 11, height: 11 }, series);
        mark.setAttribute("class", "pain-log__mark pain-log__mark--" + phase);
        mark.setAttribute("data-pain", entry.pain);
        // A tooltip for the mouse; the chart's description and the table are for everyone.
        svg("title", {}, mark).textContent =
          dateTime.format(new Date(entry.time)) + " · " + phaseName(phase) + ": " + entry.pain;
      });
    });
  }

  function drawTable(entries) {
    rows.replaceChildren(
      ...entries.map((entry) => {
        const row = document.createElement("tr");
        const time = document.createElement("time");
        time.dateTime = entry.time;
        time.textContent = dateTime.format(new Date(entry.time));
        [time, phaseName(entry.phase), String(entry.pain), entry.note].forEach((content) => {
          const cell = document.createElement("td");
          cell.append(content);
          row.appendChild(cell);
        });
        return row;
      })
    );
    tableSummary.textContent = format(plural(text().table_count, entries.length), { count: entries.length });
  }

  function draw() {
    const entries = read(key);
    empty.hidden = entries.length > 0;
    filled.hidden = entries.length === 0;
    closeConfirm(false);
    if (entries.length) {
      drawChart(entries);
      drawTable(entries);
    } else {
      clearChart();
      rows.replaceChildren();
    }
  }

  // A cell a spreadsheet would run as a formula is kept as text.
  function csvCell(value) {
    let cell = String(value);
    if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell;
    return /[",\n\r]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  // A file made here and handed to the browser as a download: no request is made.
  function downloadCsv() {
    const entries = read(key);
    const header = [text().when, text().phase, text().pain, text().note];
    const lines = [header].concat(entries.map((entry) => [entry.time, phaseName(entry.phase), entry.pain, entry.note]));
    // The byte-order mark lets spreadsheets read the accents of Spanish and German notes.
    const csv = "\ufeff" + lines.map((line) => line.map(csvCell).join(",")).join("\r\n") + "\r\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    link.download = "pain-log-" + new Date().toISOString().slice(0, 10) + ".csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  // Delete asks first, on the page: a second button, not a browser dialog.
  function openConfirm() {
    const count = read(key).length;
    confirmText.textContent = format(plural(text().confirm, count), { count });
    confirm.hidden = false;
    remove.setAttribute("aria-expanded", "true");
    cancel.focus();
  }

  function closeConfirm(refocus) {
    confirm.hidden = true;
    remove.setAttribute("aria-expanded", "false");
    if (refocus) remove.focus();
  }

  download.addEventListener("click", downloadCsv);
  remove.addEventListener("click", () => (confirm.hidden ? openConfirm() : closeConfirm(true)));
  cancel.addEventListener("click", () => closeConfirm(true));
  yes.addEventListener("click", () => {
    clear(key);
    draw();
    status.textContent = text().deleted;
    section.querySelector("h2").setAttribute("tabindex", "-1");
    section.querySelector("h2").focus();
  });
  // A session finished in another tab shows up here at once.
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key === PREFIX + key) draw();
  });

  draw();
  section.hidden = false;
})();

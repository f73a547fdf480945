/* The dashboard's behaviour. Registry text only ever goes through textContent or setAttribute on
   non-URL attributes, never innerHTML, so a title like <script> shows as text. Written for older
   Chromium-based browsers too (no optional chaining, no template literals). */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("wp-data").textContent);
  var L = data.labels;
  var MONTHS = L.month_names.split(",");
  var DAY = 86400000;
  var LIGHT_LABEL = {};
  data.lights.forEach(function (l) { LIGHT_LABEL[l.code] = l.label; });
  var STATUS_LABEL = {};
  data.statuses.forEach(function (s) { STATUS_LABEL[s.code] = s.label; });
  var SECTION = {};
  data.sections.forEach(function (s) { SECTION[s.number] = s; });

  // -- small DOM helpers --------------------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (key) {
      if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, String(attrs[key]));
    });
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function svgTitle(node, text) {
    node.appendChild(svgEl("title", null, text));
    return node;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  function dayNumber(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]) / DAY;
  }

  // Rough width of a label in pixels: CJK characters are square, Latin ones about half as wide.
  function textWidth(text, size) {
    return Array.from(text).reduce(function (w, c) { return w + (c.charCodeAt(0) > 0x2E80 ? size : size * 0.58); }, 0);
  }

  function truncate(text, max) {
    var chars = Array.from(text);
    return chars.length > max ? chars.slice(0, max - 1).join("") + "…" : text;
  }

  // One symbol per light, so lights differ by shape as well as colour.
  function lightShape(light, cx, cy, r) {
    var cls = "mark-shape light-" + light;
    if (light === "red") {
      return svgEl("polygon", { "class": cls, points: [cx, cy - r - 1, cx + r + 1, cy, cx, cy + r + 1, cx - r - 1, cy].join(" ") });
    }
    if (light === "yellow") {
      return svgEl("polygon", { "class": cls, points: [cx, cy - r - 1, cx + r + 1, cy + r, cx - r - 1, cy + r].join(" ") });
    }
    if (light === "done") {
      return svgEl("rect", { "class": cls, x: cx - r, y: cy - r, width: 2 * r, height: 2 * r });
    }
    if (light === "cancelled") {
      return svgEl("path", { "class": cls, d: "M" + (cx - r) + " " + (cy - r) + "L" + (cx + r) + " " + (cy + r) +
        "M" + (cx + r) + " " + (cy - r) + "L" + (cx - r) + " " + (cy + r), stroke: "currentColor", "stroke-width": 2.5 });
    }
    return svgEl("circle", { "class": cls, cx: cx, cy: cy, r: r });
  }

  function lightIcon(light) {
    var icon = svgEl("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true", focusable: "false" });
    icon.appendChild(lightShape(light, 7, 7, 5));
    return icon;
  }

  function badge(light) {
    var span = el("span", { "class": "badge light-" + light });
    span.appendChild(lightIcon(light));
    span.appendChild(document.createTextNode(LIGHT_LABEL[light]));
    return span;
  }

  // -- filters ------------------------------------------------------------------------------------

  var form = document.getElementById("filters");
  var controls = {
    text: document.getElementById("f-text"),
    lead: document.getElementById("f-lead"),
    dept: document.getElementById("f-dept"),
    section: document.getElementById("f-section"),
    status: document.getElementById("f-status"),
    light: document.getElementById("f-light")
  };
  var groupSelect = document.getElementById("f-group");

  function fillSelect(select, options) {
    select.appendChild(el("option", { value: "" }, L.any));
    options.forEach(function (o) {
      var option = el("option", null, o.label);
      option.value = o.value;
      select.appendChild(option);
    });
  }

  function countWhere(test) {
    return data.items.filter(test).length;
  }

  fillSelect(controls.lead, data.leads.map(function (name) {
    var n = countWhere(function (i) { return leadMatches(i, name); });
    return { value: name, label: name + " (" + n + ")" };
  }));
  fillSelect(controls.dept, data.departments.map(function (d) { return { value: d, label: d }; }));
  fillSelect(controls.section, data.sections.map(function (s) {
    return { value: String(s.number), label: s.label + s.title };
  }));
  fillSelect(controls.status, data.statuses.map(function (s) { return { value: s.code, label: s.label }; }));
  fillSelect(controls.light, data.lights.map(function (l) { return { value: l.code, label: l.label }; }));
  groupSelect.value = data.group_by;

  // Same rule as `workplan list --lead`: named itself, or through a group it belongs to.
  function leadMatches(item, name) {
    return item.leads.indexOf(name) >= 0 || item.lead_units.indexOf(name) >= 0;
  }

  // Same rule as `workplan list --text` (query.contains_text): full-width letters and the ideographic
  // space fold to ASCII, case is ignored, and every word must appear somewhere.
  function fold(text) {
    return text.replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/\u3000/g, " ").toLowerCase();
  }

  function currentFilters() {
    return {
      text: fold(controls.text.value).split(/\s+/).filter(Boolean),
      lead: controls.lead.value,
      dept: controls.dept.value,
      section: controls.section.value,
      status: controls.status.value,
      light: controls.light.value
    };
  }

  function matches(item, f) {
    if (f.lead && !leadMatches(item, f.lead)) return false;
    if (f.dept && item.departments.indexOf(f.dept) < 0) return false;
    if (f.section && String(item.section) !== f.section) return false;
    if (f.status && item.status !== f.status) return false;
    if (f.light && item.light !== f.light) return false;
    if (f.text.length) {
      var hay = [item.title, item.measures, item.departments_display].concat(item.departments).map(fold);
      var all = f.text.every(function (term) {
        return hay.some(function (h) { return h.indexOf(term) >= 0; });
      });
      if (!all) return false;
    }
    return true;
  }

  function describeFilters(f) {
    var parts = [];
    if (f.text.length) parts.push(L.text + L.colon + controls.text.value.trim());
    ["lead", "dept", "section", "status", "light"].forEach(function (key) {
      if (f[key]) parts.push(L[key] + L.colon + controls[key].options[controls[key].selectedIndex].text);
    });
    return parts.join("；");
  }

  // -- headline figures ---------------------------------------------------------------------------

  function renderCards(items) {
    var cards = document.getElementById("cards");
    clear(cards);
    var counts = { red: 0, yellow: 0, green: 0, done: 0, cancelled: 0 };
    var milestones = 0;
    items.forEach(function (item) {
      item.milestones.forEach(function (m) { milestones += 1; counts[m.light] += 1; });
    });
    function card(cls, number, label) {
      var li = el("li", { "class": "card " + cls, "data-figure": cls });
      li.appendChild(el("span", { "class": "num" }, number));
      li.appendChild(el("span", { "class": "lbl" }, label));
      cards.appendChild(li);
    }
    card("items", items.length, L.items);
    card("milestones", milestones, L.milestones);
    card("done", counts.done, L.done);
    card("green", counts.green, L.green);
    card("yellow", counts.yellow, L.yellow);
    card("red", counts.red, L.red);
    if (counts.cancelled) card("cancelled", counts.cancelled, L.cancelled);
  }

  // -- timeline -----------------------------------------------------------------------------------

  function groupsOf(items, by) {
    var groups = [];
    var index = {};
    items.forEach(function (item) {
      var key, label;
      if (by === "lead") {
        key = item.leads.join("、");
        label = key;
      } else {
        var s = SECTION[item.section];
        key = String(item.section);
        label = s ? s.label + s.title : key;
      }
      if (!(key in index)) {
        index[key] = groups.length;
        groups.push({ key: key, label: label, items: [] });
      }
      groups[index[key]].items.push(item);
    });
    if (by === "lead") {
      groups.sort(function (a, b) { return b.items.length - a.items.length; });
    } else {
      groups.sort(function (a, b) { return +a.key - +b.key; });
    }
    return groups;
  }

  function renderLegend() {
    var legend = document.getElementById("legend");
    clear(legend);
    data.lights.forEach(function (l) {
      var span = el("span", { "class": "light-" + l.code });
      span.appendChild(lightIcon(l.code));
      span.appendChild(el("span", null, l.label));
      legend.appendChild(span);
    });
    var today = el("span");
    var line = svgEl("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" });
    line.appendChild(svgEl("line", { "class": "tl-today", x1: 7, y1: 0, x2: 7, y2: 14 }));
    today.appendChild(line);
    today.appendChild(el("span", null, L.today + " " + data.as_of));
    legend.appendChild(today);
    var span = el("span");
    var bar = svgEl("svg", { width: 18, height: 14, viewBox: "0 0 18 14", "aria-hidden": "true" });
    bar.appendChild(svgEl("line", { "class": "tl-span", x1: 1, y1: 7, x2: 17, y2: 7 }));
    span.appendChild(bar);
    span.appendChild(el("span", null, L.plan_span));
    legend.appendChild(span);
  }

  // A header strip and one SVG per group, so a printout can break between groups, not through rows.
  function renderTimeline(items, by) {
    var box = document.getElementById("timeline");
    clear(box);
    var labelW = 300, padR = 16, headH = 34, rowH = 20, groupH = 26;
    var chartW = Math.max(560, box.clientWidth - labelW - padR - 2);
    var width = labelW + chartW + padR;
    var start = dayNumber(data.range.start), end = dayNumber(data.range.end) + 1;
    var planStart = Math.max(start, dayNumber(data.plan.issued));
    var today = dayNumber(data.as_of);
    var showToday = today >= start && today <= end;
    function xDay(day) { return labelW + (day - start) / (end - start) * chartW; }
    function x(iso) { return xDay(dayNumber(iso)); }

    var monthStarts = [];
    var first = new Date(start * DAY);
    var year = first.getUTCFullYear(), month = first.getUTCMonth();
    for (;;) {
      var from = Date.UTC(year, month, 1) / DAY;
      if (from >= end) break;
      monthStarts.push({ day: from, next: Math.min(Date.UTC(year, month + 1, 1) / DAY, end),
        name: MONTHS[month] + (year !== data.plan.year ? " " + year : "") });
      month += 1;
      if (month === 12) { month = 0; year += 1; }
    }

    function strip(height) {
      return svgEl("svg", { "class": "tl-strip", width: width, height: height, viewBox: "0 0 " + width + " " + height });
    }

    function gridAndToday(svg, top, height) {
      var g = svgEl("g", { "aria-hidden": "true" });
      monthStarts.forEach(function (m) {
        g.appendChild(svgEl("line", { "class": "tl-grid", x1: xDay(m.day), y1: top, x2: xDay(m.day), y2: height }));
      });
      g.appendChild(svgEl("line", { "class": "tl-grid", x1: labelW + chartW, y1: top, x2: labelW + chartW, y2: height }));
      svg.appendChild(g);
      if (showToday) {
        svg.appendChild(svgEl("line", { "class": "tl-today", x1: xDay(today + 0.5), y1: top, x2: xDay(today + 0.5), y2: height,
          "aria-hidden": "true" }));
      }
    }

    var wrap = el("div", { "class": "tl", role: "group", "aria-label": L.timeline + L.colon + L.timeline_alt });
    var head = strip(headH);
    head.setAttribute("aria-hidden", "true");
    monthStarts.forEach(function (m) {
      head.appendChild(svgEl("text", { x: (xDay(m.day) + xDay(m.next)) / 2, y: headH - 14, "text-anchor": "middle",
        "font-size": 12, "class": "muted" }, m.name));
    });
    gridAndToday(head, headH - 8, headH);
    if (showToday) {
      head.appendChild(svgEl("text", { "class": "tl-today-label", x: xDay(today + 0.5) + 4, y: headH - 1, "font-size": 11 },
        L.today + " " + data.as_of));
    }
    wrap.appendChild(head);

    var zebra = 0;
    groupsOf(items, by).forEach(function (group) {
      var height = groupH + group.items.length * rowH;
      var svg = strip(height);
      svg.setAttribute("class", "tl-strip tl-group-strip");
      var gh = svgEl("g", { "class": "tl-group-row" });
      gh.appendChild(svgEl("rect", { "class": "tl-group", x: 0, y: 2, width: width, height: groupH - 4, rx: 3 }));
      svg.appendChild(gh);
      var y = groupH;
      var rows = [];
      group.items.forEach(function (item) {
        var row = svgEl("g", { "class": "tl-row", tabindex: 0, role: "button", "data-id": item.id,
          "aria-label": L.open_item + L.colon + item.seq + " " + item.title + "（" + LIGHT_LABEL[item.light] + "）" });
        if (zebra++ % 2) row.appendChild(svgEl("rect", { "class": "tl-zebra", x: 0, y: y, width: width, height: rowH }));
        row.appendChild(svgEl("rect", { "class": "tl-focus", x: 1, y: y + 1, width: width - 2, height: rowH - 2, rx: 3 }));
        rows.push(row);
        y += rowH;
      });
      // Grid and today line go between the row backgrounds and the row contents.
      rows.forEach(function (row) { svg.appendChild(row); });
      gridAndToday(svg, 0, height);
      gh.appendChild(svgEl("text", { x: 8, y: groupH / 2 + 5, "font-size": 13, "font-weight": 700 },
        group.label + "  ·  " + group.items.length));
      svg.appendChild(gh);
      y = groupH;
      group.items.forEach(function (item, n) {
        var row = rows[n];
        var front = svgEl("g", { "class": "tl-row-front" });
        var label = svgEl("g");
        label.appendChild(svgEl("text", { "class": "muted", x: 30, y: y + rowH / 2 + 4.5, "font-size": 12, "text-anchor": "end" }, item.seq));
        label.appendChild(svgEl("text", { x: 38, y: y + rowH / 2 + 4.5, "font-size": 12 }, truncate(item.title, 21)));
        svgTitle(label, item.seq + " " + item.title + "\n" + L.lead + L.colon + item.leads.join("、"));
        front.appendChild(label);
        var cy = y + rowH / 2;
        var last = item.milestones.reduce(function (acc, m) { return m.due > acc ? m.due : acc; }, item.milestones[0].due);
        if (dayNumber(last) > planStart) {
          front.appendChild(svgEl("line", { "class": "tl-span", x1: xDay(planStart), y1: cy, x2: x(last), y2: cy, "aria-hidden": "true" }));
        }
        item.milestones.forEach(function (m, i) {
          var mark = svgEl("g", { "class": "tl-mark light-" + m.light, "data-id": item.id, "data-milestone": i + 1, "data-light": m.light });
          mark.appendChild(lightShape(m.light, x(m.due), cy, 5));
          svgTitle(mark, item.seq + " " + item.title + "\n" + m.text + "（" + m.due + "）· " + LIGHT_LABEL[m.light] +
            (m.measure ? "\n" + m.measure : ""));
          front.appendChild(mark);
        });
        // The front layer is part of the row, so clicking a mark or the title opens the item.
        svg.appendChild(front);
        front.addEventListener("click", function () { openDetail(item, row); });
        row.addEventListener("click", function () { openDetail(item, row); });
        row.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); openDetail(item, row); }
        });
        y += rowH;
      });
      wrap.appendChild(svg);
    });
    box.appendChild(wrap);
  }

  // -- lead unit × status matrix --------------------------------------------------------------------

  function renderMatrix(items) {
    var box = document.getElementById("matrix");
    clear(box);
    var columns = data.statuses.map(function (s) { return { key: "s:" + s.code, label: s.label, group: L.status }; })
      .concat(["red", "yellow", "green", "done"].map(function (l) {
        return { key: "l:" + l, label: LIGHT_LABEL[l], group: L.light, light: l };
      }))
      .concat([{ key: "total", label: L.total, group: "" }]);
    var rows = {};
    items.forEach(function (item) {
      item.lead_units.forEach(function (unit) {
        var r = rows[unit] || (rows[unit] = { unit: unit, counts: {} });
        ["s:" + item.status, "l:" + item.light, "total"].forEach(function (k) { r.counts[k] = (r.counts[k] || 0) + 1; });
      });
    });
    var order = Object.keys(rows).map(function (k) { return rows[k]; });
    order.sort(function (a, b) {
      return (b.counts.total - a.counts.total) || (data.leads.indexOf(a.unit) - data.leads.indexOf(b.unit));
    });
    var labelW = 112, cellH = 26, headH = 48, gap = 10;
    var widest = Math.max.apply(null, columns.map(function (c) { return textWidth(c.label, 12); }));
    var cellW = Math.max(44, widest + 10, Math.min(72, Math.floor((box.clientWidth - labelW - 2 * gap - 6) / columns.length)));
    var width = labelW + columns.length * cellW + 2 * gap + 4;
    var height = headH + Math.max(order.length, 1) * cellH + 4;
    var max = 1;
    order.forEach(function (r) {
      columns.forEach(function (c) { if (c.key !== "total") max = Math.max(max, r.counts[c.key] || 0); });
    });
    var summary = order.map(function (r) { return r.unit + " " + r.counts.total; }).join("，");
    var svg = svgEl("svg", { id: "matrix-svg", width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: "img", "aria-label": L.chart_alt_matrix + L.colon + (summary || L.none) });
    function cx(i) {
      var groupGap = i >= data.statuses.length ? gap : 0;
      var totalGap = i === columns.length - 1 ? gap : 0;
      return labelW + i * cellW + groupGap + totalGap;
    }
    svg.appendChild(svgEl("text", { x: cx(0) + data.statuses.length * cellW / 2, y: 14, "text-anchor": "middle", "font-size": 12, "class": "muted" }, L.status));
    svg.appendChild(svgEl("text", { x: cx(data.statuses.length) + 2 * cellW, y: 14, "text-anchor": "middle", "font-size": 12, "class": "muted" }, L.light));
    columns.forEach(function (c, i) {
      svg.appendChild(svgEl("text", { x: cx(i) + cellW / 2, y: headH - 10, "text-anchor": "middle", "font-size": 12,
        "font-weight": 700, "class": c.light ? "light-" + c.light : null }, c.label));
    });
    order.forEach(function (r, ri) {
      var y = headH + ri * cellH;
      svg.appendChild(svgEl("text", { x: labelW - 8, y: y + cellH / 2 + 4.5, "text-anchor": "end", "font-size": 12 }, r.unit));
      columns.forEach(function (c, ci) {
        var n = r.counts[c.key] || 0;
        var shade = c.key === "total" ? 0.12 : (n ? 0.12 + 0.78 * n / max : 0);
        var g = svgEl("g", { "class": "mx", "data-unit": r.unit, "data-col": c.key, "data-count": n });
        g.appendChild(svgEl("rect", { "class": "mx-cell", x: cx(ci), y: y, width: cellW, height: cellH,
          fill: n ? (c.light ? lightColour(c.light) : "#0b57d0") : "#f3f4f6", "fill-opacity": n ? shade : 1 }));
        g.appendChild(svgEl("text", { x: cx(ci) + cellW / 2, y: y + cellH / 2 + 4.5, "text-anchor": "middle", "font-size": 12,
          "font-weight": c.key === "total" ? 700 : 400, "class": n / max > 0.6 && c.key !== "total" ? "on-dark" : null }, n ? n : "·"));
        svgTitle(g, r.unit + " · " + c.label + L.colon + n);
        svg.appendChild(g);
      });
    });
    box.appendChild(svg);
  }

  function lightColour(light) {
    return { red: "#c5221f", yellow: "#e37400", green: "#188038", done: "#1967d2", cancelled: "#80868b" }[light];
  }

  // -- milestones per month -----------------------------------------------------------------------

  function renderPerMonth(items) {
    var box = document.getElementById("per-month");
    clear(box);
    var start = new Date(dayNumber(data.range.start) * DAY), endDay = dayNumber(data.range.end);
    var months = [];
    var y0 = start.getUTCFullYear(), m0 = start.getUTCMonth();
    while (Date.UTC(y0, m0, 1) / DAY <= endDay) {
      months.push({ key: y0 + "-" + (m0 < 9 ? "0" : "") + (m0 + 1), label: MONTHS[m0], counts: {}, total: 0 });
      m0 += 1;
      if (m0 === 12) { m0 = 0; y0 += 1; }
    }
    var byKey = {};
    months.forEach(function (m) { byKey[m.key] = m; });
    items.forEach(function (item) {
      item.milestones.forEach(function (ms) {
        var m = byKey[ms.due.slice(0, 7)];
        if (!m) return;
        m.counts[ms.light] = (m.counts[ms.light] || 0) + 1;
        m.total += 1;
      });
    });
    var max = Math.max.apply(null, months.map(function (m) { return m.total; }).concat([1]));
    var left = 10, top = 22, chartH = 220, bottom = 26;
    var step = Math.max(30, Math.min(80, Math.floor((box.clientWidth - left - 12) / months.length)));
    var barW = Math.round(step * 0.62);
    var width = left + months.length * step + 10, height = top + chartH + bottom;
    var summary = months.filter(function (m) { return m.total; }).map(function (m) { return m.label + " " + m.total; }).join("，");
    var svg = svgEl("svg", { id: "month-svg", width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: "img", "aria-label": L.chart_alt_month + L.colon + (summary || L.none) });
    svg.appendChild(svgEl("line", { "class": "tl-grid", x1: left - 4, y1: top + chartH, x2: width - 6, y2: top + chartH }));
    var order = ["done", "green", "yellow", "red", "cancelled"];
    months.forEach(function (m, i) {
      var x = left + i * step + (step - barW) / 2;
      var y = top + chartH;
      var g = svgEl("g", { "class": "month-bar", "data-month": m.key, "data-count": m.total });
      order.forEach(function (light) {
        var n = m.counts[light] || 0;
        if (!n) return;
        var h = n / max * chartH;
        y -= h;
        var seg = svgEl("rect", { "class": "light-" + light, x: x, y: y, width: barW, height: h });
        svgTitle(seg, m.label + " · " + LIGHT_LABEL[light] + L.colon + n);
        g.appendChild(seg);
      });
      if (m.total) {
        g.appendChild(svgEl("text", { "class": "bar-label", x: x + barW / 2, y: y - 5, "text-anchor": "middle", "font-size": 12 }, m.total));
      }
      g.appendChild(svgEl("text", { x: x + barW / 2, y: top + chartH + 17, "text-anchor": "middle", "font-size": 11, "class": "muted" }, m.label));
      svg.appendChild(g);
    });
    box.appendChild(svg);
  }

  // -- item table ---------------------------------------------------------------------------------

  function renderTable(items) {
    var body = document.getElementById("items-body");
    clear(body);
    if (!items.length) {
      var tr = el("tr", { "class": "empty" });
      tr.appendChild(el("td", { colspan: 7 }, L.no_items));
      body.appendChild(tr);
      return;
    }
    items.forEach(function (item) {
      var tr = el("tr", { "data-id": item.id });
      tr.appendChild(el("td", { "class": "col-seq" }, item.seq));
      var titleCell = el("td", { "class": "col-title" });
      var button = el("button", { type: "button", "class": "link", "aria-haspopup": "dialog" }, item.title);
      button.addEventListener("click", function () { openDetail(item, button); });
      titleCell.appendChild(button);
      tr.appendChild(titleCell);
      tr.appendChild(el("td", { "class": "col-lead" }, item.leads.join("、")));
      tr.appendChild(el("td", { "class": "col-dept" }, item.departments_display));
      var due = el("td", { "class": "col-due" });
      item.milestones.forEach(function (m, i) {
        if (i) due.appendChild(el("br"));
        var span = el("span", { "class": "light-" + m.light, title: m.text + " · " + LIGHT_LABEL[m.light] }, m.due);
        due.appendChild(span);
      });
      tr.appendChild(due);
      tr.appendChild(el("td", { "class": "col-status" }, item.status_label));
      var lightCell = el("td", { "class": "col-light" });
      lightCell.appendChild(badge(item.light));
      tr.appendChild(lightCell);
      body.appendChild(tr);
    });
  }

  // -- detail view --------------------------------------------------------------------------------

  var dialog = document.getElementById("detail");
  var opener = null;

  function fact(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }

  function openDetail(item, from) {
    opener = from || null;
    document.getElementById("detail-title").textContent = item.seq + L.gap + item.title;
    var body = document.getElementById("detail-body");
    clear(body);
    var dl = el("dl", { "class": "facts" });
    var section = SECTION[item.section];
    fact(dl, L.id, item.id);
    fact(dl, L.section, section ? section.label + section.title : String(item.section));
    fact(dl, L.task, item.task === null ? L.none : item.task + L.gap + (item.task_title || ""));
    fact(dl, L.lead, item.leads.join("、"));
    fact(dl, L.dept, item.departments_display);
    fact(dl, L.status, item.status_label);
    fact(dl, L.light, badge(item.light));
    body.appendChild(dl);

    body.appendChild(el("h3", null, L.measures));
    body.appendChild(el("p", { "class": "measures" }, item.measures));

    body.appendChild(el("h3", null, L.milestones));
    var ol = el("ol", { "class": "milestones" });
    item.milestones.forEach(function (m) {
      var li = el("li");
      li.appendChild(badge(m.light));
      li.appendChild(document.createTextNode(L.gap + m.due + L.gap + m.text + (m.tentative ? "（" + L.tentative + "）" : "")));
      if (m.done_on) li.appendChild(document.createTextNode(L.gap + L.done_on + " " + m.done_on));
      if (m.measure) li.appendChild(el("div", { "class": "small" }, m.measure));
      if (m.event_text) li.appendChild(el("div", { "class": "small" }, m.event_text));
      ol.appendChild(li);
    });
    body.appendChild(ol);

    body.appendChild(el("h3", null, L.progress));
    if (!item.progress.length) {
      body.appendChild(el("p", { "class": "small" }, L.no_progress));
    } else {
      var list = el("ol", { "class": "progress", reversed: "reversed" });
      item.progress.slice().reverse().forEach(function (p) {
        var li = el("li");
        li.appendChild(el("strong", null, p.date + L.gap + p.by + L.gap + (STATUS_LABEL[p.status] || p.status)));
        li.appendChild(el("div", null, p.text));
        // Evidence stays plain text: a link in the registry must not make the page reach the network.
        if (p.evidence) li.appendChild(el("div", { "class": "small" }, L.evidence + L.colon + p.evidence));
        list.appendChild(li);
      });
      body.appendChild(list);
    }
    if (typeof dialog.showModal === "function") {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute("open", "open");
    }
    document.getElementById("detail-close").focus();
  }

  function closeDetail() {
    if (typeof dialog.close === "function") dialog.close(); else dialog.removeAttribute("open");
  }

  document.getElementById("detail-close").addEventListener("click", closeDetail);
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) closeDetail();  // a click on the backdrop
  });
  dialog.addEventListener("close", function () {
    if (opener && document.body.contains(opener)) opener.focus();
    opener = null;
  });

  // -- putting it together ------------------------------------------------------------------------

  var visible = [];

  function renderCharts() {
    renderTimeline(visible, groupSelect.value);
    renderMatrix(visible);
    renderPerMonth(visible);
  }

  function update() {
    var f = currentFilters();
    var items = data.items.filter(function (item) { return matches(item, f); });
    var described = describeFilters(f);
    document.getElementById("count").textContent =
      format(L.showing, { shown: items.length, total: data.items.length }) + (described ? L.gap + described : "");
    visible = items;
    renderCards(items);
    renderCharts();
    renderTable(items);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  // form.reset() is synchronous, so the page is up to date as soon as the click has been handled.
  document.getElementById("f-reset").addEventListener("click", function () { form.reset(); update(); });
  groupSelect.addEventListener("change", renderCharts);
  // Charts are drawn to the width they have; redraw once a resize has settled.
  var resizeTimer = null;
  var drawnWidth = document.documentElement.clientWidth;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (document.documentElement.clientWidth !== drawnWidth) {
        drawnWidth = document.documentElement.clientWidth;
        renderCharts();
      }
    }, 150);
  });
  renderLegend();
  update();
})();

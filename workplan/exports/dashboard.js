/* The dashboard's behaviour. Registry text only ever goes through textContent or setAttribute on
   non-URL attributes, never innerHTML, so a title like <script> shows as text. Written for older
   Chromium-based browsers too (no arrow functions, optional chaining or template literals); only a
   compressed payload needs DecompressionStream (Chromium 80, Firefox 113, Safari 16.4).

   Ten thousand items stay quick because nothing is drawn per item up front: the list draws only
   the rows in view, the text is folded into one search string per item once, and typing is
   debounced. The page marks itself data-ready="1" once the first screen is drawn. */
(function () {
  "use strict";

  var DAY = 86400000;
  var source = document.getElementById("wp-data");
  var raw, L, items, asOfDay;

  // -- reading the data --------------------------------------------------------------------------

  function base64Bytes(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function inflate(text) {
    var stream = new Blob([base64Bytes(text)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  function dayNumber(iso) {
    return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY;
  }

  // The compact form written by workplan/exports/dashboard.py (dashboard_data).
  function decode(data) {
    var S = data.strings;
    var LIGHTS = data.lights.map(function (l) { return l.code; });
    var STATUSES = data.statuses.map(function (s) { return s.code; });
    function str(i) { return i < 0 ? null : S[i]; }
    return data.items.map(function (r, index) {
      var item = {
        index: index, id: r[0], seq: r[1], title: S[r[2]], measures: S[r[3]], departments_display: S[r[4]],
        departments: r[5].map(str), leads: r[6].map(str), lead_units: r[7].map(str), section: r[8], task: r[9],
        status: STATUSES[r[10]], light: LIGHTS[r[11]], hay: null
      };
      item.milestones = r[12].map(function (m, i) {
        return { item: item, n: i + 1, due: m[0], day: dayNumber(m[0]), text: S[m[1]], measure: str(m[2]),
          light: LIGHTS[m[3]], li: LIGHTS[m[3]], done_on: m[4] || null, tentative: !!m[5], event: str(m[6]), event_text: str(m[7]) };
      });
      item.progress = r[13].map(function (p) {
        return { date: p[0], by: S[p[1]], status: STATUSES[p[2]], text: S[p[3]], evidence: str(p[4]), milestone: p[5] || null };
      });
      // Each lead unit's own share of a joint item, in the order of lead_units; null for one lead.
      item.shares = r[14] && r[14].length ? r[14].map(function (s) {
        return { status: STATUSES[s[0]], report: s[1] >= 0 ? item.progress[s[1]] : null };
      }) : null;
      item.st = item.status;  // the status and light counted: the chosen unit's share (see setFocus)
      item.li = item.light;
      // The deadline the list shows and sorts by: the first one still open, else the last one.
      var open = item.milestones.filter(function (m) { return m.light === "red" || m.light === "yellow" || m.light === "green"; });
      // null for an item without a deadline (无时限): it sorts last and shows no date.
      item.next = open.length ? open[0] : item.milestones[item.milestones.length - 1] || null;
      // The latest report as of the page's day: a page made --as-of a past day shows what was known then.
      item.latest = null;
      item.progress.forEach(function (p) { if (p.date <= data.as_of) item.latest = p; });
      return item;
    });
  }

  // -- small DOM helpers --------------------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (attrs[key] !== undefined && attrs[key] !== null) node.setAttribute(key, String(attrs[key]));
      }
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return String(values[key]); });
  }

  // The page's words: the catalogue's dash.* keys in the page's language (workplan/core/labels.py).
  function T(name, values) {
    return values ? format(L[name], values) : L[name];
  }

  function gap(left, right) { return T("gap", { left: left, right: right }); }
  function labelValue(label, value) { return T("label_value", { label: label, value: value }); }
  function labelCount(label, n) { return T("label_count", { label: label, n: n }); }
  function joinUnits(names) { return names.join(L.list_sep); }
  function milestoneOf(m) {
    var count = m.item.milestones.length;
    return count > 1 ? T("milestone_of", { n: m.n, count: count }) : "";
  }

  function lightDot(light) {
    return el("span", { "class": "dot light-" + light, "aria-hidden": "true" });
  }

  // How late or how near: the words the whole page uses for it.
  function lateness(m, light) {
    var days = asOfDay - m.day;
    light = light || m.li;
    if (light === "red") return T(days === 1 ? "days_late_one" : "days_late", { days: days });
    if (light === "yellow") return days === 0 ? L.days_today : T(days === -1 ? "days_left_one" : "days_left", { days: -days });
    return "";
  }

  function sectionName(number) {
    var s = SECTION[number];
    return s ? s.label + s.title : String(number);
  }

  // -- each lead unit's own share of a joint item (workplan/core/units.py, board.py) ---------------

  // Positions in item.lead_units of the units a name stands for: itself, or a group's members.
  function shareIndexes(item, name) {
    var members = raw.groups[name] || [name], out = [];
    item.lead_units.forEach(function (unit, i) { if (members.indexOf(unit) >= 0) out.push(i); });
    return out;
  }

  // units.combined_status: cancelled shares left out unless all are; all done → done; any delayed → delayed.
  function combined(statuses) {
    var active = statuses.filter(function (s) { return s !== "cancelled"; });
    function all(code) { return active.every(function (s) { return s === code; }); }
    if (!active.length) return "cancelled";
    if (all("done")) return "done";
    if (active.indexOf("delayed") >= 0) return "delayed";
    if (all("not_started")) return "not_started";
    return "in_progress";
  }

  // board.unit_lights: a share that is done or cancelled has that light; otherwise the item's.
  function ownLight(light, status) {
    if (light === "done" || light === "cancelled") return light;
    return status === "done" ? "done" : status === "cancelled" ? "cancelled" : light;
  }

  function unitStatus(item, i) { return item.shares ? item.shares[i].status : item.status; }

  // Count each joint item by the share of `name` (a lead unit or a group): item.st, item.li and
  // every milestone's m.li; without a name, by the item's own status and lights.
  var focus;
  function setFocus(name) {
    if (name === focus) return;
    focus = name;
    items.forEach(function (item) {
      if (!item.shares) return;
      var indexes = name ? shareIndexes(item, name) : [];
      item.st = indexes.length ? combined(indexes.map(function (i) { return item.shares[i].status; })) : item.status;
      item.li = item.st === item.status ? item.light : ownLight(item.light, item.st);
      item.share = indexes.length === 1 ? item.shares[indexes[0]] : null;
      item.milestones.forEach(function (m) { m.li = item.st === item.status ? m.light : ownLight(m.light, item.st); });
    });
  }

  // The latest report the page shows: the chosen unit's own, if it has one as of the page's day.
  function latestReport(item) {
    var own = item.share && item.share.report;
    return own && own.date <= raw.as_of ? own : item.latest;
  }

  // -- filters ------------------------------------------------------------------------------------

  var controls, groupSelect, SECTION = {}, LIGHT_LABEL = {}, STATUS_LABEL = {}, STATUS_ORDER = {}, LIGHT_ORDER = {};

  function fillSelect(select, options) {
    select.appendChild(el("option", { value: "" }, L.any));
    options.forEach(function (o) {
      var option = el("option", null, o.label);
      option.value = o.value;
      select.appendChild(option);
    });
  }

  // Same rule as `workplan list --lead`: named itself, or through a group it belongs to.
  function leadMatches(item, name) {
    return item.leads.indexOf(name) >= 0 || item.lead_units.indexOf(name) >= 0;
  }

  // Same rule as `workplan list --text` (query.contains_text): full-width letters and the ideographic
  // space fold to ASCII, case is ignored, and every word must appear in one of the fields.
  function fold(text) {
    return text.replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/\u3000/g, " ").toLowerCase();
  }

  // The folded text of every item, made once, on first use. \u0001 keeps a word from matching
  // across two fields.
  function haystack(item) {
    if (item.hay === null) {
      item.hay = fold([item.title, item.measures, item.departments_display].concat(item.departments).join("\u0001"));
    }
    return item.hay;
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
    if (f.status && item.st !== f.status) return false;
    if (f.light && item.li !== f.light) return false;
    if (f.text.length) {
      var hay = haystack(item);
      for (var i = 0; i < f.text.length; i++) if (hay.indexOf(f.text[i]) < 0) return false;
    }
    return true;
  }

  function describeFilters(f) {
    var parts = [];
    if (f.text.length) parts.push(labelValue(L.text, controls.text.value.trim()));
    ["lead", "dept", "section", "status", "light"].forEach(function (key) {
      // The lead unit's option also shows a count: name the unit alone.
      if (f[key]) parts.push(labelValue(L[key], key === "lead" ? f.lead : controls[key].options[controls[key].selectedIndex].text));
    });
    return parts;
  }

  // Words matched by the text filter, marked in place. Folding keeps the length of what it folds,
  // so a position in the folded text is the same position in the original.
  function marked(text, terms) {
    var frag = document.createDocumentFragment();
    var folded = terms.length ? fold(text) : "";
    if (!terms.length || folded.length !== text.length) {
      frag.appendChild(document.createTextNode(text));
      return frag;
    }
    var spans = [];
    terms.forEach(function (term) {
      var at = folded.indexOf(term);
      while (at >= 0) { spans.push([at, at + term.length]); at = folded.indexOf(term, at + term.length); }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    spans.forEach(function (span) {
      if (span[1] <= pos) return;
      var from = Math.max(span[0], pos);
      if (from > pos) frag.appendChild(document.createTextNode(text.slice(pos, from)));
      frag.appendChild(el("mark", null, text.slice(from, span[1])));
      pos = span[1];
    });
    if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }

  // -- headline figures ---------------------------------------------------------------------------

  // `counted` is a label with {n} ("{n} 项"): the number is drawn large, the words beside it small.
  function card(parent, figure, cls, label, number, counted, note) {
    var box = el("div", { "class": "card " + cls, "data-figure": figure });
    box.appendChild(el("span", { "class": "lbl" }, label));
    var num = el("span", { "class": "num" }, number);
    var unit = L[counted].split("{n}");
    if (unit[0].trim()) num.insertBefore(el("small", { "class": "before" }, unit[0].trim()), num.firstChild);
    if (unit[1].trim()) num.appendChild(el("small", null, unit[1].trim()));
    box.appendChild(num);
    if (note) box.appendChild(el("span", { "class": "sub" }, note));
    parent.appendChild(box);
    return box;
  }

  function renderCards(list) {
    var box = document.getElementById("cards");
    clear(box);
    var status = {}, lights = { red: 0, yellow: 0, green: 0, done: 0, cancelled: 0 }, milestones = 0;
    list.forEach(function (item) {
      status[item.st] = (status[item.st] || 0) + 1;
      item.milestones.forEach(function (m) { milestones += 1; lights[m.li] += 1; });
    });
    var done = status.done || 0;
    var itemsGroup = el("div", { "class": "card-group" });
    var breakdown = raw.statuses.filter(function (s) { return status[s.code]; })
      .map(function (s) { return labelCount(s.label, status[s.code]); }).join(L.dot_sep);
    var counted = focus && list.some(function (item) { return item.shares; }) ? L.dot_sep + T("share_note", { unit: focus }) : "";
    card(itemsGroup, "items", "items", L.items, list.length, "items_count", (breakdown || L.none) + counted);
    var rate = list.length ? Math.round(100 * done / list.length) : 0;
    var rateCard = card(itemsGroup, "completion", "rate", L.completion, rate, "percent",
      T("completion_note", { done: done, total: list.length }));
    var bar = el("span", { "class": "meter", "aria-hidden": "true" });
    bar.appendChild(el("span", { style: "width:" + rate + "%" }));
    rateCard.appendChild(bar);
    box.appendChild(itemsGroup);

    var lightGroup = el("div", { "class": "card-group lights", role: "group",
      "aria-label": labelCount(L.milestones, milestones) + L.dot_sep + L.by_milestone });
    card(lightGroup, "milestones", "caption", L.milestones, milestones, "milestones_count", L.by_milestone);
    card(lightGroup, "red", "red", L.red, lights.red, "milestones_count", L.light_red);
    card(lightGroup, "yellow", "yellow", L.yellow, lights.yellow, "milestones_count",
      L.light_yellow + L.dot_sep + T("yellow_note", { days: raw.warn_days }));
    card(lightGroup, "green", "green", L.green, lights.green, "milestones_count", L.light_green);
    card(lightGroup, "done", "done", L.done, lights.done, "milestones_count",
      T("milestones_done_note", { done: lights.done, total: milestones }));
    if (lights.cancelled) card(lightGroup, "cancelled", "cancelled", L.cancelled, lights.cancelled, "milestones_count", "");
    box.appendChild(lightGroup);
  }

  // -- what is late and what falls due next -------------------------------------------------------

  var ATTENTION_ROWS = 10;

  // The milestones `workplan overdue` lists (most overdue first, then in registry order), then
  // those inside the warning window, soonest first: the milestones are in that order already.
  function attentionRows(milestones, light) {
    return milestones.filter(function (m) { return m.li === light; });
  }

  function attentionTable(rows, light) {
    var table = el("table", { "class": "attention-table", "data-light": light });
    var head = el("tr");
    [L.light, L.deadline, L.title, L.lead, L.latest].forEach(function (h, i) {
      head.appendChild(el("th", { scope: "col", "class": "a-" + ["late", "due", "title", "lead", "latest"][i] }, h));
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    rows.slice(0, ATTENTION_ROWS).forEach(function (m) {
      var item = m.item;
      var tr = el("tr", { "data-id": item.id, "data-milestone": m.n });
      var late = el("td", { "class": "a-late light-" + light });
      late.appendChild(lightDot(light));
      late.appendChild(el("strong", null, lateness(m)));
      tr.appendChild(late);
      var due = el("td", { "class": "a-due" }, m.due);
      due.appendChild(el("span", { "class": "small" }, m.text + milestoneOf(m)));
      tr.appendChild(due);
      var title = el("td", { "class": "a-title" });
      var open = el("button", { type: "button", "class": "plain", "aria-haspopup": "dialog" });
      open.appendChild(el("span", { "class": "seq" }, item.seq));
      open.appendChild(document.createTextNode(item.title));
      open.addEventListener("click", function () { openDetail(item, open); });
      title.appendChild(open);
      tr.appendChild(title);
      tr.appendChild(el("td", { "class": "a-lead" }, joinUnits(item.leads)));
      var latest = el("td", { "class": "a-latest" });
      var report = latestReport(item);
      var clamp = el("div", { "class": "clamp", title: report ? report.text : null });
      if (report) {
        clamp.appendChild(el("span", { "class": "small" }, T("latest_by", { date: report.date, by: report.by })));
        clamp.appendChild(document.createTextNode(report.text));
      } else {
        clamp.appendChild(el("span", { "class": "small" }, L.no_report));
      }
      latest.appendChild(clamp);
      tr.appendChild(latest);
      body.appendChild(tr);
    });
    table.appendChild(body);
    return table;
  }

  function renderAttention(milestones) {
    var box = document.getElementById("attention");
    clear(box);
    var shown = 0;
    [["red", L.red], ["yellow", L.yellow]].forEach(function (pair) {
      var light = pair[0], rows = attentionRows(milestones, light);
      if (!rows.length) return;
      shown += rows.length;
      var part = el("div", { "class": "attention-part", id: "attention-" + light });
      var h = el("h3", { "class": "light-" + light });
      h.appendChild(lightDot(light));
      h.appendChild(document.createTextNode(T("attention_head", { label: pair[1], n: rows.length })));
      if (light === "yellow") h.appendChild(el("span", { "class": "small h-note" }, T("yellow_note", { days: raw.warn_days })));
      part.appendChild(h);
      part.appendChild(attentionTable(rows, light));
      if (rows.length > ATTENTION_ROWS) {
        var more = el("button", { type: "button", "class": "more" }, T("show_all", { n: rows.length }));
        more.addEventListener("click", function () { showInTable({ light: light }); });
        part.appendChild(more);
      }
      box.appendChild(part);
    });
    if (!shown) box.appendChild(el("p", { "class": "none" }, T("attention_none", { date: raw.as_of, days: raw.warn_days })));
  }

  // -- where the deadlines fall: by month, lead unit or section; red and yellow open, the rest folded

  var HOT_ROWS = 6, REST_ROWS = 60;

  // Groups of milestones, each in the order of the milestones given (most urgent first).
  function spreadGroups(milestones, by) {
    var groups = [], index = {};
    // Each entry is a milestone with the light it has in that group: by unit, the unit's own share's.
    function add(key, label, order, m, light) {
      if (!(key in index)) {
        index[key] = groups.length;
        groups.push({ key: key, label: label, order: order, all: [], counts: { red: 0, yellow: 0, green: 0, done: 0, cancelled: 0 } });
      }
      var g = groups[index[key]];
      g.all.push({ m: m, light: light });
      g.counts[light] += 1;
    }
    milestones.forEach(function (m) {
      var item = m.item;
      if (by === "lead") {
        item.lead_units.forEach(function (unit, i) {
          add(unit, unit, LEAD_ORDER[unit], m, item.shares ? ownLight(m.light, unitStatus(item, i)) : m.light);
        });
      } else if (by === "section") {
        add(String(item.section), sectionName(item.section), item.section, m, m.li);
      } else {
        add(m.month, m.monthLabel, m.monthOrder, m, m.li);
      }
    });
    if (by === "month") {
      groups.sort(function (a, b) { return a.order - b.order; });
    } else {
      groups.sort(function (a, b) {
        return (b.counts.red - a.counts.red) || (b.counts.yellow - a.counts.yellow) || (b.all.length - a.all.length) || (a.order - b.order);
      });
    }
    return groups;
  }

  function monthName(month) {
    return L.months.split(" ")[month - 1];
  }

  function milestoneLine(entry, by) {
    var m = entry.m, item = m.item;
    var li = el("li", { "class": "ms light-" + entry.light, "data-id": item.id, "data-milestone": m.n, "data-light": entry.light });
    var open = el("button", { type: "button", "class": "plain", "aria-haspopup": "dialog" });
    open.appendChild(lightDot(entry.light));
    var when = lateness(m, entry.light) || m.due;
    open.appendChild(el("span", { "class": "when" }, when));
    open.appendChild(el("span", { "class": "seq" }, item.seq));
    open.appendChild(el("span", { "class": "ttl" }, item.title));
    if (by !== "lead") open.appendChild(el("span", { "class": "small who" }, joinUnits(item.leads)));
    open.addEventListener("click", function () { openDetail(item, open); });
    li.appendChild(open);
    return li;
  }

  function byUrgency(a, b) {
    return (LIGHT_ORDER[a.light] - LIGHT_ORDER[b.light]) || (a.day - b.day) || (a.item.index - b.item.index) || (a.n - b.n);
  }

  function renderSpread(milestones, by) {
    var box = document.getElementById("spread");
    clear(box);
    var groups = spreadGroups(milestones, by);
    if (!groups.length) { box.appendChild(el("p", { "class": "none" }, L.no_items)); return; }
    var max = Math.max.apply(null, groups.map(function (g) { return g.all.length; }));
    var legend = el("p", { "class": "legend" });
    ["red", "yellow", "green", "done", "cancelled"].forEach(function (light) {
      var span = el("span");
      span.appendChild(lightDot(light));
      span.appendChild(document.createTextNode(LIGHT_LABEL[light]));
      legend.appendChild(span);
    });
    box.appendChild(legend);
    groups.forEach(function (g) {
      var wrap = el("div", { "class": "group", "data-group": g.key });
      var head = el("div", { "class": "group-head" });
      head.appendChild(el("span", { "class": "g-label", title: g.label }, g.label));
      var bar = el("span", { "class": "g-bar", role: "img", "aria-label": labelValue(g.label, ["red", "yellow", "green", "done", "cancelled"]
        .filter(function (l) { return g.counts[l]; }).map(function (l) { return labelCount(LIGHT_LABEL[l], g.counts[l]); }).join(L.count_sep)) });
      ["red", "yellow", "green", "done", "cancelled"].forEach(function (light) {
        if (g.counts[light]) bar.appendChild(el("span", { "class": "seg light-" + light, style: "width:" + (100 * g.counts[light] / max) + "%" }));
      });
      head.appendChild(bar);
      var figures = el("span", { "class": "g-count" });
      ["red", "yellow"].forEach(function (light) {
        if (!g.counts[light]) return;
        var hot = el("span", { "class": "light-" + light, title: LIGHT_LABEL[light] });
        hot.appendChild(lightDot(light));
        hot.appendChild(document.createTextNode(g.counts[light]));
        figures.appendChild(hot);
      });
      figures.appendChild(el("strong", null, g.all.length));
      head.appendChild(figures);
      wrap.appendChild(head);
      function isHot(e) { return e.light === "red" || e.light === "yellow"; }
      var hot = g.all.filter(isHot);
      var rest = g.all.filter(function (e) { return !isHot(e); });
      if (hot.length) {
        var ul = el("ul", { "class": "ms-list hot" });
        hot.slice(0, HOT_ROWS).forEach(function (m) { ul.appendChild(milestoneLine(m, by)); });
        wrap.appendChild(ul);
        if (hot.length > HOT_ROWS) wrap.appendChild(el("p", { "class": "small more-note" }, T("more_in_table", { n: hot.length - HOT_ROWS })));
      }
      if (rest.length) {
        var details = el("details", { "class": "rest" });
        var counts = ["green", "done", "cancelled"].filter(function (l) { return g.counts[l]; })
          .map(function (l) { return labelCount(LIGHT_LABEL[l], g.counts[l]); }).join(L.count_sep);
        details.appendChild(el("summary", null, labelValue(T("rest", { n: rest.length }), counts)));
        // Filled when opened: a month of five thousand deadlines costs nothing until someone looks.
        details.addEventListener("toggle", function () {
          if (!details.open || details.querySelector("ul")) return;
          var ul = el("ul", { "class": "ms-list" });
          rest.slice(0, REST_ROWS).forEach(function (m) { ul.appendChild(milestoneLine(m, by)); });
          details.appendChild(ul);
          if (rest.length > REST_ROWS) details.appendChild(el("p", { "class": "small more-note" }, T("more_in_table", { n: rest.length - REST_ROWS })));
        });
        wrap.appendChild(details);
      }
      box.appendChild(wrap);
    });
  }

  // -- lead unit × status: one scale for every cell, one colour per status ------------------------

  function renderMatrix(list) {
    var box = document.getElementById("matrix");
    clear(box);
    var columns = raw.statuses.map(function (s) { return { key: "s:" + s.code, label: s.label, cls: "status-" + s.code }; })
      .concat(["red", "yellow", "green"].map(function (l) { return { key: "l:" + l, label: LIGHT_LABEL[l], cls: "light-" + l, light: true }; }));
    var rows = {};
    // Each unit counts its own share of a joint item: its status and its own light.
    list.forEach(function (item) {
      item.lead_units.forEach(function (unit, i) {
        var r = rows[unit] || (rows[unit] = { unit: unit, counts: {}, total: 0 });
        var status = unitStatus(item, i), light = item.shares ? ownLight(item.light, status) : item.light;
        r.counts["s:" + status] = (r.counts["s:" + status] || 0) + 1;
        r.counts["l:" + light] = (r.counts["l:" + light] || 0) + 1;
        r.total += 1;
      });
    });
    var order = Object.keys(rows).map(function (k) { return rows[k]; });
    order.sort(function (a, b) { return (b.total - a.total) || (raw.leads.indexOf(a.unit) - raw.leads.indexOf(b.unit)); });
    var max = 1;
    order.forEach(function (r) { columns.forEach(function (c) { max = Math.max(max, r.counts[c.key] || 0); }); });
    var table = el("table", { "class": "matrix", id: "matrix-table" });
    var group = el("tr", { "class": "col-groups" });
    group.appendChild(el("th", { "class": "unit" }));
    group.appendChild(el("th", { colspan: raw.statuses.length, scope: "colgroup" }, L.status));
    group.appendChild(el("th", { colspan: 3, scope: "colgroup", "class": "sep" }, L.light));
    group.appendChild(el("th", { "class": "sep" }));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col", "class": "unit" }, L.lead));
    columns.forEach(function (c, i) {
      head.appendChild(el("th", { scope: "col", "class": c.cls + (i === raw.statuses.length ? " sep" : "") }, c.label));
    });
    head.appendChild(el("th", { scope: "col", "class": "sep" }, L.total));
    var thead = el("thead");
    thead.appendChild(group);
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    order.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row", "class": "unit", title: r.unit }, r.unit));
      columns.forEach(function (c, i) {
        var n = r.counts[c.key] || 0;
        var td = el("td", { "class": "mx " + c.cls + (i === raw.statuses.length ? " sep" : ""), "data-unit": r.unit, "data-col": c.key,
          "data-count": n, title: labelValue(r.unit + L.dot_sep + c.label, n) });
        if (n) {
          td.appendChild(el("span", { "class": "n" }, n));
          var bar = el("span", { "class": "bar", "aria-hidden": "true" });
          bar.appendChild(el("span", { style: "width:" + Math.max(4, 100 * n / max) + "%" }));
          td.appendChild(bar);
        } else {
          td.appendChild(el("span", { "class": "zero" }, "·"));
        }
        tr.appendChild(td);
      });
      tr.appendChild(el("td", { "class": "mx total sep", "data-unit": r.unit, "data-col": "total", "data-count": r.total }, r.total));
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  // -- the item list: sortable, sticky header, only the rows in view are drawn ---------------------

  var COLUMNS = [
    { key: "seq", label: "seq" }, { key: "title", label: "title" }, { key: "lead", label: "lead" },
    { key: "dept", label: "dept" }, { key: "due", label: "next_due" }, { key: "status", label: "status" },
    { key: "light", label: "light" }
  ];
  // PRINT_ROWS: the exporter's cap on a printout of the list (exports/dashboard.py), 3000 if absent.
  var RENDER_ALL = 200, OVERSCAN = 10,
    PRINT_ROWS = parseInt(document.documentElement.getAttribute("data-print-rows"), 10) || 3000;
  var collator = window.Intl && Intl.Collator ? new Intl.Collator(document.documentElement.lang || "zh-CN") : null;
  var table = { rows: [], sortKey: "seq", sortDir: 1, first: -1, last: -1, terms: [], printing: false, version: 0, drawn: -1 };
  var bodyBox, headRow;

  function compareText(a, b) {
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
  }

  function nextDay(item) { return item.next ? item.next.day : 1e9; }  // no deadline: after every date

  var SORTS = {
    seq: function (a, b) { return a.seq - b.seq; },
    title: function (a, b) { return compareText(a.title, b.title); },
    lead: function (a, b) { return compareText(joinUnits(a.leads), joinUnits(b.leads)); },
    dept: function (a, b) { return compareText(a.departments_display, b.departments_display); },
    due: function (a, b) { return nextDay(a) - nextDay(b); },
    status: function (a, b) { return STATUS_ORDER[a.st] - STATUS_ORDER[b.st]; },
    light: function (a, b) { return (LIGHT_ORDER[a.li] - LIGHT_ORDER[b.li]) || (nextDay(a) - nextDay(b)); }
  };

  function sortRows(list) {
    var by = SORTS[table.sortKey], dir = table.sortDir;
    if (table.sortKey === "seq" && dir === 1) return list;  // registry order already
    return list.slice().sort(function (a, b) { return dir * by(a, b) || a.index - b.index; });
  }

  function buildHead() {
    headRow = document.getElementById("items-head");
    COLUMNS.forEach(function (c) {
      var th = el("div", { role: "columnheader", "class": "cell col-" + c.key, "data-key": c.key, "aria-sort": "none" });
      var button = el("button", { type: "button", "class": "sort" }, L[c.label]);
      button.appendChild(el("span", { "class": "arrow", "aria-hidden": "true" }));
      button.addEventListener("click", function () {
        if (table.sortKey === c.key) table.sortDir = -table.sortDir; else { table.sortKey = c.key; table.sortDir = 1; }
        setRows(visible, table.terms);
      });
      th.appendChild(button);
      headRow.appendChild(th);
    });
  }

  function markSort() {
    Array.prototype.forEach.call(headRow.children, function (th) {
      var on = th.getAttribute("data-key") === table.sortKey;
      th.setAttribute("aria-sort", on ? (table.sortDir > 0 ? "ascending" : "descending") : "none");
      th.querySelector(".arrow").textContent = on ? (table.sortDir > 0 ? "▲" : "▼") : "";
    });
  }

  // Read once per layout (the screen's size, printing): reading a style mid-update would make the
  // browser restyle the page there and then, once more per keystroke.
  var rowH = 0;
  function rowHeight() {
    if (!rowH) rowH = parseFloat(getComputedStyle(bodyBox).getPropertyValue("--row-h")) || 56;
    return rowH;
  }

  // Whether the list is on screen or nearly (an observer says so): while it is not, a long list
  // draws no rows and asks nothing about the layout, so a keystroke at the top of the page costs
  // no layout of the page there and then.
  var listInView = false;
  function watchList() {
    if (!window.IntersectionObserver) { listInView = true; return; }
    new IntersectionObserver(function (entries) {
      listInView = entries[entries.length - 1].isIntersecting;
      if (listInView) paintRows();
    }, { rootMargin: "100% 0px" }).observe(document.getElementById("items"));
  }

  function setRows(list, terms) {
    table.rows = sortRows(list);
    table.terms = terms;
    table.version += 1;
    markSort();
    document.getElementById("items").setAttribute("aria-rowcount", table.rows.length + 1);
    paintRows();
  }

  function itemRow(item, i, top) {
    var row = el("div", { role: "row", "class": "row light-row-" + item.li, "data-id": item.id, "aria-rowindex": i + 2,
      style: "top:" + top + "px" });
    row.appendChild(el("div", { role: "cell", "class": "cell col-seq" }, item.seq));
    var title = el("div", { role: "cell", "class": "cell col-title" });
    var open = el("button", { type: "button", "class": "plain", "aria-haspopup": "dialog", title: item.title });
    open.appendChild(marked(item.title, table.terms));
    open.addEventListener("click", function () { openDetail(item, open); });
    title.appendChild(open);
    row.appendChild(title);
    row.appendChild(el("div", { role: "cell", "class": "cell col-lead" }, joinUnits(item.leads)));
    var dept = el("div", { role: "cell", "class": "cell col-dept", title: item.departments_display });
    dept.appendChild(marked(item.departments_display, table.terms));
    row.appendChild(dept);
    var m = item.next;
    var due = el("div", { role: "cell", "class": "cell col-due" });
    if (m) {
      due.appendChild(el("span", { "class": "date" }, m.due));
      if (item.milestones.length > 1) due.appendChild(el("span", { "class": "small" }, milestoneOf(m)));
      var late = lateness(m);
      if (late) due.appendChild(el("span", { "class": "late light-" + m.li }, late));
    }
    row.appendChild(due);
    row.appendChild(el("div", { role: "cell", "class": "cell col-status status-" + item.st }, STATUS_LABEL[item.st]));
    var light = el("div", { role: "cell", "class": "cell col-light light-" + item.li });
    light.appendChild(lightDot(item.li));
    light.appendChild(el("span", null, LIGHT_LABEL[item.li]));
    row.appendChild(light);
    return row;
  }

  // Draw the rows that are on screen (all of them for a short list or a printout).
  function paintRows() {
    var n = table.rows.length, h = rowHeight();
    var first = 0, last = n;
    if (n > RENDER_ALL && !table.printing && !listInView) {
      first = last = 0;
    } else if (n > RENDER_ALL && !table.printing) {
      var above = -bodyBox.getBoundingClientRect().top;
      first = Math.max(0, Math.min(n, Math.floor(above / h) - OVERSCAN));
      last = Math.max(first, Math.min(n, Math.ceil((above + window.innerHeight) / h) + OVERSCAN));
    } else if (table.printing) {
      last = Math.min(n, PRINT_ROWS);
    }
    if (first === table.first && last === table.last && table.drawn === table.version && h === table.h) return;
    table.first = first; table.last = last; table.drawn = table.version; table.h = h;
    bodyBox.style.height = (n ? n * h : h) + "px";
    var frag = document.createDocumentFragment();
    if (!n) frag.appendChild(el("div", { role: "row", "class": "row empty" }, L.no_items));
    for (var i = first; i < last; i++) frag.appendChild(itemRow(table.rows[i], i, i * h));
    // A printout stops at PRINT_ROWS and says so, rather than end as if that were all. The notice is
    // under the list, not a row of it: a printed list is a CSS table, where it would be one column wide.
    var cut = document.getElementById("print-cut");
    cut.hidden = !(table.printing && last < n);
    cut.textContent = cut.hidden ? "" : T("print_cut", { shown: last, total: n });
    clear(bodyBox);
    bodyBox.appendChild(frag);
  }

  var paintPending = false;
  function schedulePaint() {
    if (paintPending) return;
    paintPending = true;
    requestAnimationFrame(function () { paintPending = false; paintRows(); });
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

  function badge(light) {
    var span = el("span", { "class": "badge light-" + light });
    span.appendChild(lightDot(light));
    span.appendChild(document.createTextNode(LIGHT_LABEL[light]));
    return span;
  }

  function openDetail(item, from) {
    opener = from || null;
    document.getElementById("detail-title").textContent = gap(item.seq, item.title);
    var body = document.getElementById("detail-body");
    clear(body);
    var dl = el("dl", { "class": "facts" });
    fact(dl, L.id, item.id);
    fact(dl, L.section, sectionName(item.section));
    fact(dl, L.task, item.task === null ? L.none : gap(item.task, raw.tasks[String(item.task)] || ""));
    fact(dl, L.lead, joinUnits(item.leads));
    fact(dl, L.dept, item.departments_display);
    fact(dl, L.status, STATUS_LABEL[item.status]);
    fact(dl, L.light, badge(item.light));
    body.appendChild(dl);

    if (item.shares) {
      body.appendChild(el("h3", null, L.unit_shares));
      var shares = el("ul", { "class": "shares" });
      item.shares.forEach(function (share, i) {
        var li = el("li", { "data-unit": item.lead_units[i], "data-status": share.status });
        li.appendChild(badge(ownLight(item.light, share.status)));
        var line = gap(item.lead_units[i], STATUS_LABEL[share.status]);
        li.appendChild(document.createTextNode(gap("", share.report ? gap(line, share.report.date) : line)));
        shares.appendChild(li);
      });
      body.appendChild(shares);
    }

    body.appendChild(el("h3", null, L.measures));
    body.appendChild(el("p", { "class": "measures" }, item.measures));

    body.appendChild(el("h3", null, L.milestones));
    var ol = el("ol", { "class": "milestones" });
    item.milestones.forEach(function (m) {
      var li = el("li");
      li.appendChild(badge(m.light));
      var late = lateness(m, m.light);
      var line = gap(m.due, m.text + (m.tentative ? L.tentative : ""));
      if (late) line = gap(line, late);
      if (m.done_on) line = gap(line, T("done_on", { date: m.done_on }));
      li.appendChild(document.createTextNode(gap("", line)));
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
        li.appendChild(el("strong", null, gap(gap(p.date, p.by), STATUS_LABEL[p.status] || p.status)));
        li.appendChild(el("div", null, p.text));
        // Evidence stays plain text: a link in the registry must not make the page reach the network.
        if (p.evidence) li.appendChild(el("div", { "class": "small" }, labelValue(L.evidence, p.evidence)));
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

  // -- putting it together ------------------------------------------------------------------------

  var visible = [], visibleMilestones = [], allMilestones = [], shown = null, LEAD_ORDER = {};
  var form, filterBox;

  // Marks for the benchmark (bench/dashboard.py) and the browser's performance tools.
  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  // Typing on: words that only grow ("食" → "食品") can only narrow the list, so the items of the
  // last result are the ones to look at, not every item.
  var last = null;
  function refines(terms, before) {
    return before.every(function (old) { return terms.some(function (term) { return term.indexOf(old) >= 0; }); });
  }

  function update() {
    mark("workplan-update-start");
    var f = currentFilters();
    setFocus(f.lead || raw.unit || null);
    var others = [f.lead, f.dept, f.section, f.status, f.light].join("\u0001");
    var pool = last && last.others === others && refines(f.text, last.terms) ? last.visible : items;
    visible = pool.filter(function (item) { return matches(item, f); });
    last = { others: others, terms: f.text, visible: visible };
    shown.fill(0);
    visible.forEach(function (item) { shown[item.index] = 1; });
    visibleMilestones = allMilestones.filter(function (m) { return shown[m.item.index] === 1; });
    var chosen = describeFilters(f);
    var scope = (raw.scope ? [raw.scope] : []).concat(chosen);
    document.getElementById("scope").textContent = scope.length ? scope.join(L.clause_sep) : L.all_items;
    document.getElementById("filter-summary").textContent = chosen.length ? T("filters_on", { n: chosen.length }) : "";
    document.getElementById("count").textContent = T("showing", { shown: visible.length, total: items.length });
    renderCards(visible);
    renderAttention(visibleMilestones);
    renderSpread(visibleMilestones, groupSelect.value);
    renderMatrix(visible);
    setRows(visible, f.text);
    mark("workplan-updated");
  }

  // Pick values in the filters and bring the list into view (from "all N in the item list").
  function showInTable(values) {
    form.reset();
    Object.keys(values).forEach(function (key) { controls[key].value = values[key]; });
    update();
    document.getElementById("h-table").scrollIntoView();
  }

  // A short list follows every key at once. A long one updates once per frame, just before it is
  // drawn: keys that come faster than frames share one update, and none waits for a pause.
  var LONG_LIST = 2000, updateQueued = false;
  function scheduleUpdate(event) {
    if (event && event.isComposing) return;  // a Chinese input method is still composing the word
    if (items.length <= LONG_LIST) { update(); return; }
    if (updateQueued) return;
    updateQueued = true;
    requestAnimationFrame(function () { updateQueued = false; update(); });
  }

  function start(data) {
    raw = data;
    L = raw.labels;
    asOfDay = dayNumber(raw.as_of);
    raw.lights.forEach(function (l, i) { LIGHT_LABEL[l.code] = l.label; LIGHT_ORDER[l.code] = i; });
    raw.statuses.forEach(function (s, i) { STATUS_LABEL[s.code] = s.label; STATUS_ORDER[s.code] = i; });
    raw.sections.forEach(function (s) { SECTION[s.number] = s; });
    items = decode(raw);
    shown = new Uint8Array(items.length);
    raw.leads.forEach(function (name, i) { LEAD_ORDER[name] = i; });
    // Every milestone once, most urgent first (red, yellow, the rest; by day, then registry order):
    // each update then picks the visible ones in order instead of sorting them again.
    items.forEach(function (item) {
      item.milestones.forEach(function (m) {
        var y = +m.due.slice(0, 4), mo = +m.due.slice(5, 7);
        m.month = m.due.slice(0, 7);
        m.monthLabel = y !== raw.plan.year ? T("month_of_year", { year: y, month: monthName(mo) }) : monthName(mo);
        m.monthOrder = y * 12 + mo;
        allMilestones.push(m);
      });
    });
    allMilestones.sort(byUrgency);

    form = document.getElementById("filters");
    filterBox = document.getElementById("filter-box");
    controls = {
      text: document.getElementById("f-text"),
      lead: document.getElementById("f-lead"),
      dept: document.getElementById("f-dept"),
      section: document.getElementById("f-section"),
      status: document.getElementById("f-status"),
      light: document.getElementById("f-light")
    };
    groupSelect = document.getElementById("f-group");
    bodyBox = document.getElementById("items-body");

    var perLead = {};
    items.forEach(function (item) {
      var seen = {};
      item.leads.concat(item.lead_units).forEach(function (name) {
        if (!seen[name]) { seen[name] = true; perLead[name] = (perLead[name] || 0) + 1; }
      });
    });
    fillSelect(controls.lead, raw.leads.map(function (name) { return { value: name, label: T("lead_option", { name: name, n: perLead[name] || 0 }) }; }));
    fillSelect(controls.dept, raw.departments.map(function (d) { return { value: d, label: d }; }));
    fillSelect(controls.section, raw.sections.map(function (s) { return { value: String(s.number), label: s.label + s.title }; }));
    fillSelect(controls.status, raw.statuses.map(function (s) { return { value: s.code, label: s.label }; }));
    fillSelect(controls.light, raw.lights.map(function (l) { return { value: l.code, label: l.label }; }));
    groupSelect.value = raw.group_by;
    buildHead();

    // On a phone the filters start folded, so the figures come first.
    if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) filterBox.open = false;

    controls.text.addEventListener("input", scheduleUpdate);
    controls.text.addEventListener("compositionend", function () { scheduleUpdate(); });
    form.addEventListener("change", function (event) { if (event.target !== controls.text) update(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    // form.reset() is synchronous, so the page is up to date as soon as the click has been handled.
    document.getElementById("f-reset").addEventListener("click", function () { form.reset(); update(); });
    groupSelect.addEventListener("change", function () { renderSpread(visibleMilestones, groupSelect.value); });
    window.addEventListener("scroll", schedulePaint, { passive: true });
    window.addEventListener("resize", function () { rowH = 0; schedulePaint(); });
    watchList();
    // A printout holds every row (up to PRINT_ROWS), not just the ones that were on screen.
    function printing(on) { table.printing = on; table.drawn = -1; rowH = 0; paintRows(); }
    window.addEventListener("beforeprint", function () { printing(true); });
    window.addEventListener("afterprint", function () { printing(false); });
    if (window.matchMedia) {
      var print = window.matchMedia("print");
      var onPrint = function (e) { printing(e.matches); };
      if (print.addEventListener) print.addEventListener("change", onPrint); else if (print.addListener) print.addListener(onPrint);
    }

    document.getElementById("detail-close").addEventListener("click", closeDetail);
    dialog.addEventListener("click", function (event) { if (event.target === dialog) closeDetail(); });
    dialog.addEventListener("close", function () {
      if (opener && document.body.contains(opener)) opener.focus();
      opener = null;
    });

    update();
    document.documentElement.setAttribute("data-ready", "1");
    mark("workplan-ready");
    // Fold the search text while the reader looks at the first screen, so the first key is quick.
    var pending = items.slice();
    (function fold_some() {
      var until = Date.now() + 8;
      while (pending.length && Date.now() < until) haystack(pending.pop());
      if (pending.length) setTimeout(fold_some, 0); else mark("workplan-indexed");
    })();
  }

  function fail(error) {
    var box = document.getElementById("cards");
    clear(box);
    var text = String(error && error.message || error);
    box.appendChild(el("p", { "class": "error" }, L ? T("load_failed", { error: text }) : text));
  }

  if (source.getAttribute("data-encoding") === "gzip-base64") {
    inflate(source.textContent).then(function (text) { start(JSON.parse(text)); }).catch(fail);
  } else {
    start(JSON.parse(source.textContent));
  }
})();

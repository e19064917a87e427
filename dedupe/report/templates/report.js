// The report's only script (allowed by its hash in the Content-Security-Policy). It renders the
// findings and events of the page's JSON data block a page at a time, as finding.html.j2 and
// event.html.j2 do for the first page: filters and search, findings grouped under their event
// (events in the order of their best finding), events one line until opened, #fnd-/#evt- links,
// a report.json opened in the file picker, and the copy buttons. Article text only ever becomes
// text nodes, never HTML, and only http(s) URLs become links.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var SIZE = data.page_size;
  var WEB = /^https?:\/\/[^\s"'<>]+$/; // as dedupe.report.links.is_web_url
  var state = { kind: "", severity: "", status: "active", q: "", page: 0, eventQ: "", eventPage: 0 };
  var eventsById = new Map();
  var findingFilters = document.getElementById("finding-filters");
  var eventFilters = document.getElementById("event-filters");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function webLink(url, attrs, children) {
    return WEB.test(url || "") ? el("a", Object.assign({ href: url, rel: "noopener noreferrer" }, attrs), children) : null;
  }
  function highlight(quote, value) {
    var at = value ? quote.toLowerCase().indexOf(value.toLowerCase()) : -1;
    if (at < 0) return [quote];
    var end = at + value.length;
    return [quote.slice(0, at), el("mark", {}, [quote.slice(at, end)]), quote.slice(end)];
  }

  // as dedupe.report.links.quote_url: the URL with a text fragment that finds the quote
  function quoteUrl(url, quote) {
    var words = quote.split(/\s+/).filter(Boolean);
    function encode(part) {
      return encodeURIComponent(part.join(" ")).replace(/[!'()*-]/g, function (c) {
        return "%" + c.charCodeAt(0).toString(16).toUpperCase();
      });
    }
    if (url.indexOf("#") >= 0 || !words.length) return url;
    if (words.length <= 8) return url + "#:~:text=" + encode(words);
    return url + "#:~:text=" + encode(words.slice(0, 4)) + "," + encode(words.slice(-4));
  }
  // a review command: report.json has them; the page's data has one pattern for them all
  function command(f, decision) {
    return f.review[decision + "_command"] || data.review_command.replace("{id}", f.id).replace("{decision}", decision);
  }

  // ------------------------------------------------------------------ findings
  function finding(f) {
    var r = f.review;
    var head = [el("span", { class: "badge " + f.severity }, [f.severity]), " ", el("span", { class: "badge kind" }, [f.kind])];
    if (r.status !== "open") head.push(" ", el("span", { class: "badge " + r.status }, [r.status]));
    head.push(" ", el("b", {}, [f.subject]), ": " + f.values.join(" vs ") + " ",
      el("span", { class: "muted" }, ["(confidence " + f.confidence.toFixed(2) + " · " + f.sources + " source(s))"]));
    var sides = f.evidence.map(function (e) {
      var quote = highlight(e.quote, e.value);
      var quoteLink = WEB.test(e.url || "") && webLink(quoteUrl(e.url, e.quote), { class: "quote", title: "Open the article at this quote" }, quote);
      var source = webLink(e.url, {}, [e.source]) || e.source;
      return el("blockquote", {}, [
        el("div", {}, quoteLink ? [quoteLink] : quote),
        el("footer", {}, [el("span", { class: "value" }, [e.value]), " · ", source,
          " · " + (e.published || "undated") + " · chars " + e.start + "–" + e.end])
      ]);
    });
    var parts = [el("div", {}, head), el("div", { class: "muted" }, [el("code", {}, [f.id])]),
      el("p", {}, [f.reason]), el("div", { class: "sides" }, sides)];
    if (r.decision) {
      var line = [{ confirm: "Confirmed", dismiss: "Dismissed" }[r.decision] + (r.by ? " by " + r.by : "") +
        " at " + r.at + (r.note ? ": " + r.note : "")];
      if (r.evidence_changed) {
        line.push(" ", el("b", {}, ["· the evidence has changed since" + (r.status === "open" ? ", so the finding is open again" : "")]));
      }
      parts.push(el("p", { class: "muted decision" }, line));
    }
    var review = [];
    ["confirm", "dismiss"].forEach(function (decision) {
      var line = command(f, decision);
      review.push(el("span", { class: "cmd" }, [line]), el("button", { type: "button", class: "copy", "data-copy": line }, ["Copy"]));
    });
    parts.push(el("div", { class: "review" }, review));
    return el("article", { class: "finding " + f.severity, id: f.id }, parts);
  }

  function findingText(f) {
    if (f._text === undefined) {
      var words = [f.id, f.event_id, f.event_label, f.kind, f.subject, f.reason].concat(f.values);
      f.evidence.forEach(function (e) { words.push(e.quote, e.source, e.value); });
      f._text = words.join("\n").toLowerCase();
    }
    return f._text;
  }
  function matches(text, query) {
    return query.split(/\s+/).every(function (word) { return text.indexOf(word) >= 0; });
  }
  function keep(f) {
    var status = f.review.status;
    if (state.kind && f.kind !== state.kind) return false;
    if (state.severity && f.severity !== state.severity) return false;
    if (state.status === "active" ? status === "dismissed" : state.status && status !== state.status) return false;
    return !state.q || matches(findingText(f), state.q);
  }
  // the kept findings, each event's together, events in the order of their best finding
  function grouped() {
    var groups = new Map();
    data.findings.filter(keep).forEach(function (f) {
      if (!groups.has(f.event_id)) groups.set(f.event_id, []);
      groups.get(f.event_id).push(f);
    });
    return [].concat.apply([], Array.from(groups.values()));
  }
  function group(items) {
    var ev = eventsById.get(items[0].event_id);
    var head = [el("a", { href: "#" + items[0].event_id }, [items[0].event_label])];
    if (ev) head.push(" ", el("span", { class: "muted" }, ["· " + ev.articles.length + " article(s)"]));
    return el("section", { class: "group" }, [el("h3", {}, head)].concat(items.map(finding)));
  }
  function renderFindings() {
    var list = grouped();
    state.page = clampPage(state.page, list.length, SIZE.findings);
    var shown = list.slice(state.page * SIZE.findings, (state.page + 1) * SIZE.findings);
    var box = document.getElementById("finding-list");
    box.textContent = "";
    if (!shown.length) {
      var plain = !state.kind && !state.severity && state.status === "active" && !state.q;
      box.appendChild(el("p", { class: "muted" }, [plain ? "No open conflicts." : "No findings match these filters."]));
    }
    for (var i = 0; i < shown.length;) {
      var j = i;
      while (j < shown.length && shown[j].event_id === shown[i].event_id) j++;
      box.appendChild(group(shown.slice(i, j)));
      i = j;
    }
    pager("findings", state.page, list.length, SIZE.findings);
  }

  // ------------------------------------------------------------------ events
  function eventBody(ev) {
    var rows = [el("tr", {}, [el("th", {}, ["Published"]), el("th", {}, ["Source"]), el("th", {}, ["Title"])])];
    ev.articles.forEach(function (a) {
      var when = [a.published || "undated"];
      if (a.date_origin && a.date_origin !== "input") when.push(" ", el("span", { class: "muted" }, ["(" + a.date_origin + ")"]));
      var d = a.date_estimate;
      if (d) {
        when.push(el("details", {}, [el("summary", {}, ["inferred " + d.start + " to " + d.end]), el("ul", {}, d.clues.map(function (c) {
          return el("li", c.agrees ? {} : { class: "muted" }, [c.note + (c.agrees ? "" : " (outvoted)")]);
        }))]));
      }
      rows.push(el("tr", {}, [el("td", {}, when), el("td", {}, [a.source]),
        el("td", {}, [webLink(a.url, {}, [a.title]) || a.title, " ", el("span", { class: "muted" }, [a.path])])]));
    });
    var parts = [el("div", { class: "muted" }, [el("code", {}, [ev.id])]), el("table", {}, rows)];
    // an article's own timeline line repeats its row of the table (as in html.page_data)
    var changes = ev.timeline.filter(function (t) { return t.kind !== "article"; });
    if (changes.length) {
      parts.push(el("h4", {}, ["Follow-ups, status changes, updates and corrections"]), el("ol", { class: "timeline" }, changes.map(function (t) {
        return el("li", { class: t.kind }, [el("b", {}, [t.date || "undated"]), " · " + t.kind.replace(/_/g, " ") + ": " + t.text]);
      })));
    }
    if (ev.repeated_claims.length) {
      parts.push(el("details", {}, [el("summary", {}, [ev.repeated_claims.length + " claim(s) reported by several articles"]),
        el("ul", {}, ev.repeated_claims.map(function (g) {
          return el("li", {}, [g.text + " ", el("span", { class: "muted" }, ["(" + (typeof g.articles === "number" ? g.articles : g.articles.length) + " articles: " + g.sources.join(", ") + ")"])]);
        }))]));
    }
    return el("div", { class: "body" }, parts);
  }
  function eventLine(ev) {
    var line = el("details", { class: "event", id: ev.id }, [el("summary", {}, [el("b", {}, [ev.label]), " ",
      el("span", { class: "muted" }, ["· " + ev.articles.length + " article(s) · " + ev.finding_ids.length + " finding(s)"])])]);
    line.addEventListener("toggle", function () {
      if (line.open && line.children.length === 1) line.appendChild(eventBody(ev));
    });
    return line;
  }
  function eventText(ev) {
    if (ev._text === undefined) {
      var words = [ev.id, ev.label];
      ev.articles.forEach(function (a) { words.push(a.title, a.source); });
      ev._text = words.join("\n").toLowerCase();
    }
    return ev._text;
  }
  function keptEvents() {
    return data.events.filter(function (ev) { return !state.eventQ || matches(eventText(ev), state.eventQ); });
  }
  function renderEvents() {
    var list = keptEvents();
    state.eventPage = clampPage(state.eventPage, list.length, SIZE.events);
    var box = document.getElementById("event-list");
    box.textContent = "";
    if (!list.length) box.appendChild(el("p", { class: "muted" }, ["No events match."]));
    list.slice(state.eventPage * SIZE.events, (state.eventPage + 1) * SIZE.events).forEach(function (ev) {
      box.appendChild(eventLine(ev));
    });
    pager("events", state.eventPage, list.length, SIZE.events);
  }

  // ------------------------------------------------------------------ pages, filters, links
  function clampPage(page, total, size) {
    return Math.max(0, Math.min(page, Math.ceil(total / size) - 1));
  }
  function pager(name, page, total, size) {
    var last = Math.max(0, Math.ceil(total / size) - 1);
    var from = total ? page * size + 1 : 0, to = Math.min(total, (page + 1) * size);
    document.querySelectorAll('nav.pager[data-for="' + name + '"]').forEach(function (nav) {
      nav.hidden = false;
      nav.textContent = "";
      [["« First", 0], ["‹ Previous", page - 1], ["Next ›", page + 1], ["Last »", last]].forEach(function (b) {
        var button = el("button", { type: "button", "data-page": String(b[1]) }, [b[0]]);
        button.disabled = b[1] < 0 || b[1] > last || b[1] === page;
        nav.appendChild(button);
      });
      nav.appendChild(el("span", { class: "muted" }, [name + " " + from.toLocaleString("en") + "–" + to.toLocaleString("en") + " of " +
        total.toLocaleString("en") + " · page " + (page + 1) + " of " + (last + 1)]));
    });
  }
  document.querySelectorAll("nav.pager").forEach(function (nav) {
    nav.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-page]");
      if (!button) return;
      var page = Number(button.getAttribute("data-page"));
      if (nav.getAttribute("data-for") === "findings") { state.page = page; renderFindings(); }
      else { state.eventPage = page; renderEvents(); }
      nav.parentNode.scrollIntoView();
    });
  });
  findingFilters.addEventListener("input", function (event) {
    var name = event.target.name;
    state[name] = name === "q" ? event.target.value.trim().toLowerCase() : event.target.value;
    state.page = 0;
    renderFindings();
  });
  eventFilters.addEventListener("input", function (event) {
    state.eventQ = event.target.value.trim().toLowerCase();
    state.eventPage = 0;
    renderEvents();
  });
  function setFilters(values) {
    Object.keys(values).forEach(function (name) {
      state[name] = values[name];
      findingFilters.querySelector('[name="' + name + '"]').value = values[name];
    });
  }
  function kindOptions() {
    var counts = new Map();
    data.findings.forEach(function (f) { counts.set(f.kind, (counts.get(f.kind) || 0) + 1); });
    var select = findingFilters.querySelector('[name="kind"]');
    select.textContent = "";
    select.appendChild(el("option", { value: "" }, ["all"]));
    Array.from(counts.keys()).sort().forEach(function (kind) {
      select.appendChild(el("option", { value: kind }, [kind + " (" + counts.get(kind) + ")"]));
    });
    select.value = state.kind;
  }
  // a #fnd-... or #evt-... link: the page that holds it, filters cleared if they hide it
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1)), at, node;
    var f = data.findings.find(function (x) { return x.id === id; });
    var ev = eventsById.get(id);
    if (f) {
      if (!keep(f)) setFilters({ kind: "", severity: "", status: "", q: "" });
      at = grouped().indexOf(f);
      state.page = Math.floor(at / SIZE.findings);
      renderFindings();
    } else if (ev) {
      if (keptEvents().indexOf(ev) < 0) { state.eventQ = ""; eventFilters.querySelector("input").value = ""; }
      at = keptEvents().indexOf(ev);
      state.eventPage = Math.floor(at / SIZE.events);
      renderEvents();
    }
    node = (f || ev) && document.getElementById(id);
    if (!node) {
      var loaded = document.getElementById("loaded");
      if (loaded && /^(fnd|evt)-/.test(id)) loaded.textContent = id + " is not in this page; report.json holds it.";
      return;
    }
    if (ev) node.open = true;
    node.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);

  // ------------------------------------------------------------------ all of report.json
  var picker = document.getElementById("open-json");
  if (picker) {
    picker.parentNode.hidden = false;
    picker.addEventListener("change", function () {
      var file = picker.files[0], reader = new FileReader(), loaded = document.getElementById("loaded");
      if (!file) return;
      reader.onload = function () {
        var full;
        try {
          full = JSON.parse(reader.result);
          if (!Array.isArray(full.findings) || !Array.isArray(full.events)) throw new Error("it has no findings and events");
        } catch (e) {
          loaded.textContent = "Could not read " + file.name + ": " + e.message;
          return;
        }
        data.findings = full.findings;
        data.events = full.events;
        state.page = state.eventPage = 0;
        start();
        loaded.textContent = "Showing all " + full.findings.length.toLocaleString("en") + " findings and " +
          full.events.length.toLocaleString("en") + " events of " + file.name + ".";
      };
      reader.readAsText(file);
    });
  }

  // ------------------------------------------------------------------ copy buttons
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    area.remove();
    return copied;
  }
  function show(button, copied) {
    button.textContent = copied ? "Copied" : "Select the command to copy it";
    button.setAttribute("data-copied", copied ? "yes" : "no");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var text = button.getAttribute("data-copy");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { show(button, true); }, function () { show(button, fallback(text)); });
    } else {
      show(button, fallback(text));
    }
  });

  function start() {
    eventsById = new Map(data.events.map(function (ev) { return [ev.id, ev]; }));
    kindOptions();
    renderFindings();
    renderEvents();
  }
  findingFilters.hidden = false;
  eventFilters.hidden = false;
  start();
  if (location.hash) reveal();
})();

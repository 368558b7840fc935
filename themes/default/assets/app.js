// Atrium default theme: small enhancements only. Every page works without
// this file; it is loaded with defer from the portal's own origin, so the
// Content-Security-Policy needs no inline script.
(function () {
  "use strict";

  // Forms and action buttons that name a confirmation ask before they post.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // A board's card may also be dragged onto another column: the drop sets
  // the card's own move select to that column and sends its form, the very
  // form the select and button send without script or from the keyboard.
  // Handlers sit on the document, so a board redrawn by a live update
  // keeps working.
  (function () {
    var dragged = null;
    function cardOf(node) {
      return node && node.closest ? node.closest("[data-board] [data-board-card]") : null;
    }
    function columnOf(event) {
      if (!dragged || !event.target || !event.target.closest) return null;
      var col = event.target.closest("[data-board-column]");
      return col && col.closest("[data-board]") === dragged.closest("[data-board]") ? col : null;
    }
    function unmark() {
      Array.prototype.forEach.call(document.querySelectorAll(".is-drop-target"), function (el) { el.classList.remove("is-drop-target"); });
    }
    // Cards become draggable when a pointer reaches them (and so only
    // where this script runs).
    document.addEventListener("pointerdown", function (event) {
      var card = cardOf(event.target);
      if (card) card.setAttribute("draggable", "true");
    });
    document.addEventListener("dragstart", function (event) {
      var card = cardOf(event.target);
      if (!card) return;
      dragged = card;
      card.classList.add("is-dragging");
      if (event.dataTransfer) {
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.querySelector(".board-card-title").textContent);
      }
    });
    document.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("is-dragging");
      dragged = null;
      unmark();
    });
    document.addEventListener("dragover", function (event) {
      var col = columnOf(event);
      if (!col) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
      if (!col.classList.contains("is-drop-target")) { unmark(); col.classList.add("is-drop-target"); }
    });
    document.addEventListener("drop", function (event) {
      var col = columnOf(event);
      if (!col) return;
      event.preventDefault();
      var card = dragged;
      card.classList.remove("is-dragging");
      dragged = null;
      unmark();
      var select = card.querySelector(".board-move select");
      var value = col.getAttribute("data-board-column");
      if (!select || !select.form || select.value === value) return;
      select.value = value;
      if (select.form.requestSubmit) select.form.requestSubmit(); else select.form.submit();
    });
  })();

  // Upload forms show their progress: the form is sent by XMLHttpRequest,
  // whose upload events say how much has gone. Without script the form
  // posts as usual and the page waits.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload") || event.defaultPrevented) return;
    if (!window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var bar = form.querySelector("progress.upload-progress");
    var button = form.querySelector("button[type=submit]");
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (button) button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (bar && e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener("load", function () {
      if (xhr.status < 400 && xhr.responseURL && xhr.responseURL !== form.action) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      if (button) button.disabled = false;
      if (bar) bar.hidden = true;
      window.alert("The upload was interrupted. Please try again.");
    });
    xhr.send(new FormData(form));
  });

  // Escape closes the phone menu and gives focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.querySelector("details.menu[open]");
    if (!menu) return;
    menu.open = false;
    var summary = menu.querySelector("summary");
    if (summary) summary.focus();
  });

  // A click outside the open phone menu closes it.
  document.addEventListener("click", function (event) {
    var menu = document.querySelector("details.menu[open]");
    if (menu && !menu.contains(event.target)) menu.open = false;
  });

  // After a form comes back with errors, move focus to its message (or to
  // the first field in error) so keyboard and screen reader users start
  // where the problem is.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("main form [aria-invalid=true]");
    var form = invalid ? invalid.form : document.querySelector("main .auth-card form");
    if (!form) return;
    var alert = document.querySelector("main .form-error[role=alert]");
    if (alert && (alert.parentNode === form || form.getAttribute("aria-describedby") === alert.id)) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    } else if (invalid) {
      invalid.focus();
    }
  });
})();

// The dashboard's partner list: a search box that hides the partners whose
// name does not match (without script, the whole list shows).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("input[data-filter-list]");
    Array.prototype.forEach.call(boxes, function (box) {
      var list = document.getElementById(box.getAttribute("data-filter-list"));
      if (!list) return;
      box.hidden = false;
      box.addEventListener("input", function () {
        var q = box.value.trim().toLowerCase();
        Array.prototype.forEach.call(list.children, function (li) {
          li.hidden = q !== "" && li.textContent.toLowerCase().indexOf(q) < 0;
        });
      });
    });
  });
})();

// Engagement beacon: actions only the browser sees (playing a video,
// following a link, opening an image full size or a PDF, searching) are
// batched and sent to /track with navigator.sendBeacon when the page is
// hidden, or every ten seconds. The theme's video and image components
// count as they are; other elements mark what counts with data-track (and
// data-resource for a content item); the server checks every event
// against the rooms and blocks the signed-in user sees.
(function () {
  "use strict";
  var main = document.querySelector("main[data-room]");
  if (!main || !navigator.sendBeacon || !window.Blob) return;
  var room = main.getAttribute("data-room");
  var queue = [];
  var seen = {};

  function record(el, name, meta) {
    var block = el.closest("[data-block-id]");
    if (!block) return;
    var holder = el.closest("[data-resource]");
    var ev = { room: room, block: block.getAttribute("data-block-id"), name: name, path: location.pathname };
    if (holder) ev.resource = parseInt(holder.getAttribute("data-resource"), 10) || undefined;
    if (meta) ev.meta = meta;
    // One play of a video per page is enough; clicks count each time.
    if (name === "video_play") {
      var key = ev.block + "|" + (el.currentSrc || el.src || el.href || "");
      if (seen[key]) return;
      seen[key] = true;
    }
    queue.push(ev);
    if (queue.length >= 20) flush();
  }

  // What an element records: its data-track, or what the theme's
  // components are (a video's player or link, an image's full-size link).
  function trackName(el) {
    var name = el.getAttribute("data-track");
    if (name) return name;
    if (el.closest("figure.video")) return "video_play";
    if (el.matches("a.image-link")) return "image_view";
    return "";
  }

  function flush() {
    if (!queue.length) return;
    var batch = queue.splice(0, 50);
    navigator.sendBeacon("/track", new Blob([JSON.stringify(batch)], { type: "application/json" }));
  }

  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[href]");
    if (!a || !main.contains(a)) return;
    var name = trackName(a);
    if (!name) {
      if (/\.pdf($|[?#])/i.test(a.getAttribute("href"))) name = "pdf_open";
      else if (a.closest("[data-block-id]")) name = "link_click";
      else return;
    }
    record(a, name);
  });
  // An uploaded video reports its play; an embedded player (YouTube,
  // Vimeo, Loom) takes focus when it is clicked, which blurs the window.
  main.addEventListener("play", function (event) {
    if (event.target.tagName === "VIDEO" && trackName(event.target) === "video_play") record(event.target, "video_play");
  }, true);
  window.addEventListener("blur", function () {
    setTimeout(function () {
      var f = document.activeElement;
      if (f && f.tagName === "IFRAME" && trackName(f) === "video_play") record(f, "video_play");
    }, 0);
  });
  main.addEventListener("submit", function (event) {
    var q = event.target.querySelector && event.target.querySelector("input[type=search]");
    if (q && q.value) record(event.target, "search", { length: q.value.length });
  }, true);
  setInterval(flush, 10000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
})();

// The room builder: drag and drop for the block list, a live filter for
// the palette, and the library lists for the pickers. Each only improves a
// page that works without it: the move buttons, the palette's search form
// and the number fields stay.
(function () {
  "use strict";

  // Dragging a block posts the same move form as its buttons, with the
  // position it was dropped at.
  var list = document.querySelector("[data-reorder]");
  if (list) {
    var dragged = null;
    var items = function () { return Array.prototype.slice.call(list.querySelectorAll("li[data-move]")); };
    items().forEach(function (li) {
      li.setAttribute("draggable", "true");
      li.addEventListener("dragstart", function (e) {
        dragged = li;
        li.classList.add("is-dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", li.getAttribute("data-block"));
      });
      li.addEventListener("dragend", function () {
        li.classList.remove("is-dragging");
        items().forEach(function (x) { x.classList.remove("is-drop-target"); });
      });
      li.addEventListener("dragover", function (e) {
        if (!dragged || dragged === li) return;
        e.preventDefault();
        li.classList.add("is-drop-target");
      });
      li.addEventListener("dragleave", function () { li.classList.remove("is-drop-target"); });
      li.addEventListener("drop", function (e) {
        e.preventDefault();
        if (!dragged || dragged === li) return;
        var to = items().indexOf(li) + 1;
        var form = document.createElement("form");
        form.method = "post";
        form.action = dragged.getAttribute("data-move");
        var base = dragged.querySelectorAll("form input[name=draftVersion], form input[name=revision]");
        for (var i = 0; i < base.length && i < 2; i++) form.appendChild(base[i].cloneNode());
        var pos = document.createElement("input");
        pos.type = "hidden";
        pos.name = "to";
        pos.value = String(to);
        form.appendChild(pos);
        document.body.appendChild(form);
        form.submit();
      });
    });
  }

  // The palette's search filters as one types; the status line says how
  // many block types are left.
  var filter = document.querySelector("input[data-filter]");
  if (filter) {
    var status = document.querySelector("[data-filter-status]");
    var run = function () {
      var q = filter.value.trim().toLowerCase();
      var shown = 0;
      var all = document.querySelectorAll(filter.getAttribute("data-filter"));
      Array.prototype.forEach.call(all, function (el) {
        var hit = !q || (el.getAttribute("data-search") || "").toLowerCase().indexOf(q) >= 0;
        el.hidden = !hit;
        if (hit) shown++;
      });
      Array.prototype.forEach.call(document.querySelectorAll(".palette-types"), function (ul) {
        var any = ul.querySelector("li:not([hidden])");
        ul.hidden = !any;
        var h = ul.previousElementSibling;
        if (h && h.classList.contains("palette-group")) h.hidden = !any;
      });
      if (status) status.textContent = q ? (status.getAttribute("data-format") || "{shown}/{all}").replace("{shown}", shown).replace("{all}", all.length) : "";
    };
    filter.addEventListener("input", run);
  }

  // The selected block's preview follows its form: a moment after the
  // last change, the form is posted (not saved) and the drawn block
  // replaces the preview. Markdown fields are seen rendered there.
  var live = document.querySelector("form[data-live-preview]");
  var body = document.querySelector("[data-preview-body]");
  if (live && body && window.fetch && window.FormData) {
    var timer = 0, seq = 0;
    var refresh = function () {
      var mine = ++seq;
      var data = new URLSearchParams(new FormData(live));
      data.delete("_op");
      fetch(live.getAttribute("data-live-preview"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (html) { if (html !== null && mine === seq) body.innerHTML = html; })
        .catch(function () {});
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 500); };
    live.addEventListener("input", later);
    live.addEventListener("change", later);
  }

  // A Markdown field shows its text rendered below it, as partners will
  // read it (the page's template gives the preview's label).
  var mdTemplate = document.getElementById("md-preview-template");
  var mdForm = document.querySelector("form[data-markdown]");
  if (mdTemplate && mdForm && window.fetch) {
    Array.prototype.forEach.call(mdForm.querySelectorAll("textarea[data-preview=markdown]"), function (area) {
      var box = mdTemplate.content.firstElementChild.cloneNode(true);
      area.insertAdjacentElement("afterend", box);
      var out = box.querySelector("[data-md-body]");
      var timer = 0, seq = 0;
      var draw = function () {
        var mine = ++seq;
        var data = new URLSearchParams();
        data.set("text", area.value);
        fetch(mdForm.getAttribute("data-markdown"), { method: "POST", body: data, credentials: "same-origin" })
          .then(function (res) { return res.ok ? res.text() : null; })
          .then(function (html) { if (html !== null && mine === seq) out.innerHTML = html; })
          .catch(function () {});
      };
      area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(draw, 400); });
      draw();
    });
  }

  // Resource and media fields offer the library's items by name.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-picker]"), function (input) {
    var id = "pick-" + input.getAttribute("data-picker");
    if (document.getElementById(id)) input.setAttribute("list", id);
  });
})();

// Live updates: a page whose <body> (or any element) carries
// data-live="/events" listens there (Server-Sent Events; the browser
// reconnects by itself and the server sends what was missed). Each event
// is {"type", "topic", "payload"}:
//   - payload.badges {"messages": 3} sets every [data-badge="messages"]
//     (hidden at 0) and, when the badge's link has data-badge-label
//     ("Messages, {n} unread"), that link's aria-label;
//   - a topic ("messages:42") named in an element's data-live-topic
//     (space-separated), or one under a topic it names ("messages"
//     takes "messages:42"), refreshes that element from the current URL,
//     a moment after the last event, never while someone types in it,
//     keeping the scroll position, and says "New content" (or the
//     element's data-live-announce) in a polite live region.
// Without script, or without EventSource, pages are as they were.
(function () {
  "use strict";
  var host = document.querySelector("[data-live]");
  if (!host || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var stale = [], timer = 0, busy = false, region = null;

  function badges(counts) {
    Object.keys(counts).forEach(function (key) {
      var n = parseInt(counts[key], 10) || 0;
      Array.prototype.forEach.call(document.querySelectorAll('[data-badge="' + key + '"]'), function (b) {
        b.textContent = String(n);
        b.hidden = n === 0;
        var link = b.closest("[data-badge-label]") || (b.parentElement && b.parentElement.closest("a"));
        var label = link && link.getAttribute("data-badge-label");
        if (label) link.setAttribute("aria-label", label.replace("{n}", n));
      });
    });
  }

  function announce(text) {
    if (!region) {
      region = document.createElement("div");
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function typing(el) {
    var f = document.activeElement;
    return f && el.contains(f) && (f.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(f.tagName));
  }

  // Bursts of events make one fetch; an element being typed in waits.
  function later(ms) { clearTimeout(timer); timer = setTimeout(refresh, ms); }

  function refresh() {
    if (busy) { later(500); return; }
    var now = stale.filter(function (el) { return document.contains(el) && !typing(el); });
    if (!now.length) { if (stale.length) later(2000); return; }
    busy = true;
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) { return res.ok ? res.text() : null; })
      .then(function (html) {
        busy = false;
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var all = document.querySelectorAll("[data-live-topic]");
        var fresh = doc.querySelectorAll("[data-live-topic]");
        var done = 0, message = "";
        now.forEach(function (el) {
          if (typing(el)) return;
          var i = Array.prototype.indexOf.call(all, el);
          var twin = (el.id && doc.getElementById(el.id)) || fresh[i];
          if (!twin) return;
          var x = window.scrollX, y = window.scrollY, top = el.scrollTop;
          el.innerHTML = twin.innerHTML;
          el.scrollTop = top;
          window.scrollTo(x, y);
          stale.splice(stale.indexOf(el), 1);
          message = message || el.getAttribute("data-live-announce") || "New content";
          done++;
        });
        if (done) announce(message);
        if (stale.length) later(2000);
      })
      .catch(function () { busy = false; });
  }

  function onEvent(event) {
    if (event.lastEventId) lastId = event.lastEventId;
    var ev;
    try { ev = JSON.parse(event.data); } catch (e) { return; }
    var payload = ev.payload || {};
    if (payload.badges) badges(payload.badges);
    if (!ev.topic) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-topic]"), function (el) {
      var wants = el.getAttribute("data-live-topic").split(" ").some(function (t) {
        return t && (ev.topic === t || ev.topic.indexOf(t + ":") === 0);
      });
      if (wants && stale.indexOf(el) < 0) stale.push(el);
    });
    if (stale.length) later(300);
  }

  // A page being left closes its stream; one restored from the back-forward
  // cache opens it again where it left off (the lastEventId parameter).
  var source = null, lastId = "";
  function open() {
    var url = host.getAttribute("data-live");
    if (lastId) url += (url.indexOf("?") < 0 ? "?" : "&") + "lastEventId=" + encodeURIComponent(lastId);
    source = new EventSource(url);
    source.onmessage = onEvent;
  }
  open();
  window.addEventListener("pagehide", function () { if (source) source.close(); source = null; });
  window.addEventListener("pageshow", function (event) { if (event.persisted && !source) open(); });
})();

// A video's player loads only when asked: the link on its card swaps in the
// player kept inert in a template (without JavaScript the link opens the
// video's own page). The click still counts as a play.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[data-player]");
    if (!a) return;
    var tpl = a.parentNode.querySelector("template");
    if (!tpl || !tpl.content) return;
    var frame = tpl.content.firstElementChild.cloneNode(true);
    try {
      var u = new URL(frame.getAttribute("src"));
      u.searchParams.set("autoplay", "1");
      frame.setAttribute("src", u.toString());
    } catch (e) { /* the player starts paused */ }
    event.preventDefault();
    a.parentNode.replaceChildren(frame);
    frame.focus();
  });
})();

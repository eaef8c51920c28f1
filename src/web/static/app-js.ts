// Served at /static/app.js: keyboard triage and small fetch actions. Plain ES2020, no build step, no inline
// handlers (the CSP allows scripts from 'self' only). Mention text is never inserted as HTML here.
export const appJs = `
(function () {
  "use strict";
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  // Times the server wrote in UTC (due times, "new since") shown in the viewer's own time zone.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (isNaN(d.getTime())) return;
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    el.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + (zone ? " " + zone : "");
  });

  // On a phone, tables stack into one card per row (app.css): each cell is labelled with its column's header.
  document.querySelectorAll("table.data").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return (th.textContent || "").trim();
    });
    if (!heads.length) return;
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label") && heads[i] !== "Actions") cell.setAttribute("data-label", heads[i]);
      });
    });
  });

  // Styles that only make sense with this script (the two-line clamp: without it the whole text shows).
  document.documentElement.classList.add("js");

  // What an action did, for a few seconds, with Undo when the server gave a handle for it. A toast stays while
  // the pointer or the focus is on it, so Undo can be reached from the keyboard.
  var TOAST_MS = 8000;
  function toastHost() {
    var host = document.getElementById("toasts");
    if (!host) {
      host = document.createElement("div");
      host.id = "toasts";
      host.className = "toasts";
      host.setAttribute("role", "status");
      host.setAttribute("aria-live", "polite");
      document.body.appendChild(host);
    }
    return host;
  }
  function keepWhileUsed(el) {
    var timer = null;
    var held = false;
    function arm() { clearTimeout(timer); timer = setTimeout(function () { if (!held) el.remove(); }, TOAST_MS); }
    el.addEventListener("mouseenter", function () { held = true; });
    el.addEventListener("mouseleave", function () { held = false; arm(); });
    el.addEventListener("focusin", function () { held = true; });
    el.addEventListener("focusout", function () { held = false; arm(); });
    arm();
  }
  function toast(message, undoId) {
    var el = document.createElement("div");
    el.className = "toast";
    var text = document.createElement("span");
    text.textContent = message;
    el.appendChild(text);
    if (undoId) el.appendChild(undoButton(undoId, el));
    toastHost().appendChild(el);
    keepWhileUsed(el);
    return el;
  }
  function undoButton(undoId, el) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "undo";
    button.textContent = "Undo";
    button.addEventListener("click", function () {
      button.disabled = true;
      api("POST", "/api/mentions/undo/" + encodeURIComponent(undoId), {}).then(function () {
        // The list and the figures change with it: the page comes back as the server now has it, saying so.
        var url = new URL(location.href);
        url.searchParams.delete("undo");
        url.searchParams.set("undone", String(undoId));
        location.href = url.pathname + url.search;
      }).catch(function () { button.disabled = false; if (el) el.remove(); });
    });
    return button;
  }
  // A notice the server wrote after a form's action (undo=<id> in the address) becomes a toast; the address
  // loses the parameter, so a reload does not say it again.
  document.querySelectorAll(".action-notice[data-toast]").forEach(function (notice) {
    notice.classList.add("toast");
    notice.removeAttribute("role");
    toastHost().appendChild(notice);
    keepWhileUsed(notice);
  });
  (function () {
    var url = new URL(location.href);
    if (!url.searchParams.has("undo") && !url.searchParams.has("undone") && !url.searchParams.has("said")) return;
    url.searchParams.delete("undo");
    url.searchParams.delete("undone");
    url.searchParams.delete("said");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  })();

  // An in-page question instead of the browser's confirm(): labelled, the rest of the page inert while it is open
  // (showModal), Tab kept inside, Escape or Cancel answers no. Resolves true only for the confirming button.
  function ask(options) {
    return new Promise(function (resolve) {
      var opener = document.activeElement;
      var dialog = document.createElement("dialog");
      dialog.className = "ask";
      dialog.setAttribute("aria-labelledby", "ask-title");
      dialog.setAttribute("aria-describedby", "ask-body");
      var title = document.createElement("h2");
      title.id = "ask-title";
      title.textContent = options.title;
      var body = document.createElement("div");
      body.id = "ask-body";
      (options.lines || []).forEach(function (line) {
        var p = document.createElement("p");
        p.textContent = line;
        body.appendChild(p);
      });
      var buttons = document.createElement("div");
      buttons.className = "ask-buttons";
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.textContent = "Cancel";
      var yes = document.createElement("button");
      yes.type = "button";
      yes.className = "primary";
      yes.textContent = options.confirm;
      buttons.appendChild(yes);
      buttons.appendChild(cancel);
      dialog.appendChild(title);
      dialog.appendChild(body);
      dialog.appendChild(buttons);
      document.body.appendChild(dialog);
      var answered = false;
      function finish(answer) {
        if (answered) return;
        answered = true;
        if (dialog.open) dialog.close();
        dialog.remove();
        if (opener && typeof opener.focus === "function") opener.focus({ preventScroll: true });
        resolve(answer);
      }
      yes.addEventListener("click", function () { finish(true); });
      cancel.addEventListener("click", function () { finish(false); });
      dialog.addEventListener("cancel", function (event) { event.preventDefault(); finish(false); });
      dialog.addEventListener("keydown", function (event) {
        if (event.key !== "Tab") return;
        var first = yes;
        var last = cancel;
        if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
        else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
      });
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
      // The safe answer has the focus: Enter alone never takes a post that needs a person out of the queue.
      cancel.focus();
    });
  }

  // "Show more" where a row's text is longer than its two lines.
  function markClamped() {
    document.querySelectorAll("li.mention .text").forEach(function (text) {
      var button = text.parentNode && text.parentNode.querySelector("button.more");
      if (!button) return;
      if (text.classList.contains("expanded")) return;
      button.hidden = text.scrollHeight <= text.clientHeight + 1;
    });
  }
  markClamped();
  window.addEventListener("resize", markClamped);
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("li.mention button.more") : null;
    if (!button) return;
    var text = document.getElementById(button.getAttribute("aria-controls"));
    if (!text) return;
    var open = !text.classList.contains("expanded");
    text.classList.toggle("expanded", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Show less" : "Show more";
  });

  // The Today link's badge, on pages that did not count it themselves.
  var badge = document.querySelector('[data-my-work="pending"]');
  if (badge) {
    fetch("/api/my-work/counts", { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (counts) {
        if (!counts) return;
        // Distinct mentions (one assigned to you and awaiting your approval counts once): my-work.ts.
        var total = counts.total;
        var parts = [counts.assigned + " assigned to you"];
        if (counts.awaitingApproval !== null) parts.push(counts.awaitingApproval + " awaiting your approval");
        if (counts.overdue > 0) parts.push(counts.overdue + " of yours overdue");
        parts = [parts.join(", ") + "; " + total + (total === 1 ? " mention" : " mentions") + " in all"];
        var number = badge.querySelector("b");
        var words = badge.querySelector(".sr-only");
        if (number) number.textContent = String(total);
        if (words) words.textContent = " (" + parts.join(", ") + ")";
        badge.setAttribute("title", parts.join(", "));
        if (counts.overdue > 0) badge.classList.add("alert");
        badge.hidden = total === 0;
        badge.setAttribute("data-my-work", "filled");
      }).catch(function () {});
  }

  function toLogin() {
    location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
  }

  // Rejects with the server's message, status and details; toasts the message unless the caller handles it.
  function api(method, path, body, quiet) {
    return fetch(path, {
      method: method,
      headers: { "content-type": "application/json", "x-csrf-token": csrf, accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    }).then(function (res) {
      if (res.status === 401) { toLogin(); throw new Error("signed out"); }
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var message = data && data.error ? data.error.message : "Request failed (" + res.status + ")";
          if (!quiet) toast(message);
          var error = new Error(message);
          error.status = res.status;
          error.details = data && data.error ? data.error.details : undefined;
          throw error;
        }
        return data;
      });
    });
  }

  function items() { return Array.prototype.slice.call(document.querySelectorAll("ol.mentions > li.mention")); }
  function current() { return document.querySelector("ol.mentions > li.mention.current"); }
  function setCurrent(el) {
    var previous = current();
    if (previous) previous.classList.remove("current");
    if (!el) return;
    el.classList.add("current");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }
  function move(delta) {
    var list = items();
    if (list.length === 0) return;
    var index = list.indexOf(current());
    var next = index === -1 ? 0 : Math.min(list.length - 1, Math.max(0, index + delta));
    setCurrent(list[next]);
  }

  function focusedId() {
    var el = current();
    if (el) return Number(el.getAttribute("data-id"));
    var page = document.querySelector("[data-mention-id]");
    return page ? Number(page.getAttribute("data-mention-id")) : null;
  }

  function showStatus(id, status) {
    var row = document.querySelector('li.mention[data-id="' + id + '"]');
    var page = document.querySelector('[data-mention-id="' + id + '"]');
    [row, page].forEach(function (el) {
      if (!el) return;
      el.setAttribute("data-status", status);
      var badge = el.querySelector(".status");
      if (badge) { badge.textContent = status.replace(/_/g, " "); badge.className = "status status-" + status; }
    });
  }
  function showAssignee(id, email) {
    var row = document.querySelector('li.mention[data-id="' + id + '"]') || document.querySelector('[data-mention-id="' + id + '"]');
    if (!row) return;
    var meta = row.querySelector(".meta");
    var tag = row.querySelector(".assignee");
    if (!tag && meta) { tag = document.createElement("span"); tag.className = "assignee"; meta.appendChild(tag); }
    if (tag) { tag.textContent = "→ " + email; tag.classList.remove("unassigned"); }
  }

  // A mention that needs a person (self-harm, attorney, dispute…) carries why in data-human-only; dismissing it
  // takes it out of the queue, so the person confirms after reading why (the server refuses otherwise).
  function humanOnlyWarning(id) {
    var el = document.querySelector('li.mention[data-id="' + id + '"]') || document.querySelector('[data-mention-id="' + id + '"]');
    return el ? el.getAttribute("data-human-only") : null;
  }
  var VERB = { dismissed: ["Dismiss", "Dismissing"], resolved: ["Resolve", "Resolving"] };
  function askHumanOnly(status, warnings) {
    var verb = (VERB[status] || VERB.dismissed)[0];
    var doing = (VERB[status] || VERB.dismissed)[1];
    return ask({
      title: verb + (warnings.length === 1 ? " a post that needs a person?" : " posts that need a person?"),
      lines: warnings.concat([doing + (warnings.length === 1 ? " it" : " them") + " takes " + (warnings.length === 1 ? "it" : "them") + " out of the queue with no public reply."]),
      confirm: verb + " anyway",
    });
  }
  function setStatus(status) {
    var id = focusedId();
    if (!id) return;
    var body = { ids: [id], status: status };
    var closing = status === "dismissed" || status === "resolved";
    var send = function () {
      return api("POST", "/api/mentions/status", body, closing).then(function (result) {
        showStatus(id, status);
        var undo = result && result.undo;
        toast(undo ? undo.summary : "Mention " + id + ": already " + status.replace(/_/g, " "), undo ? undo.id : null);
        if (current()) move(1);
      });
    };
    var needsConfirm = function (error) {
      return error.status === 409 && error.details && error.details.confirm === "confirmHumanOnly";
    };
    var warning = status === "dismissed" ? humanOnlyWarning(id) : null;
    var first = warning
      ? askHumanOnly(status, [warning]).then(function (yes) {
          if (!yes) return false;
          body.confirmHumanOnly = true;
          return true;
        })
      : Promise.resolve(true);
    first.then(function (go) {
      if (!go) return;
      send().catch(function (error) {
        if (!closing) return;
        // A near-duplicate grouped under this row needs a person: the server says which and why; ask, then retry.
        if (error.status === undefined) return; // signed out or offline: nothing to say here
        if (!needsConfirm(error) || body.confirmHumanOnly) { toast(error.message); return; }
        var why = error.details.mentions.map(function (m) { return "Mention " + m.id + ": " + m.warning; });
        askHumanOnly(status, why).then(function (yes) {
          if (!yes) return;
          body.confirmHumanOnly = true;
          send().catch(function () {});
        });
      });
    });
  }
  function assignToMe() {
    var id = focusedId();
    if (!id) return;
    api("POST", "/api/mentions/assign", { ids: [id], assignee: "me" }).then(function (data) {
      showAssignee(id, data.assignee ? data.assignee.email : "me");
      toast(data.undo ? data.undo.summary : "Mention " + id + " was already yours", data.undo ? data.undo.id : null);
      if (current()) move(1);
    }).catch(function () {});
  }

  // The server lists the keys this person's role may use (src/web/views/keys.ts); others do nothing.
  var allowedKeys = (document.body.getAttribute("data-keys") || "").split(" ");

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (allowedKeys.indexOf(event.key) === -1) return;
    var dialog = document.getElementById("keys-help");
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o":
      case "Enter": {
        var el = current();
        var link = el && el.querySelector("a.open");
        if (link) location.href = link.getAttribute("href");
        else return;
        break;
      }
      case "x": {
        var row = current();
        var box = row && row.querySelector('input[type="checkbox"]');
        if (box) box.checked = !box.checked;
        break;
      }
      case "a": assignToMe(); break;
      case "d": setStatus("dismissed"); break;
      case "e": setStatus("escalated"); break;
      case "r": {
        var id = focusedId();
        if (id) location.href = "/mentions/" + id + "/reply";
        break;
      }
      case "/": {
        var search = document.getElementById("search");
        if (search) search.focus();
        break;
      }
      case "?":
        if (dialog && typeof dialog.showModal === "function") dialog.showModal();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.id !== "bulk" || form.getAttribute("data-confirmed") === "true") return;
    var action = form.querySelector('select[name="action"]');
    // Dismissing, or resolving what has no posted reply, takes a post that needs a person out of the queue.
    var to = action ? action.value : "";
    if (to !== "status:dismissed" && to !== "status:resolved") return;
    var flagged = items().filter(function (li) {
      var box = li.querySelector('input[type="checkbox"]');
      var answered = to === "status:resolved" && li.getAttribute("data-status") === "posted";
      return box && box.checked && li.getAttribute("data-human-only") && !answered;
    });
    if (flagged.length === 0) return;
    event.preventDefault();
    var lines = flagged.map(function (li) { return "Mention " + li.getAttribute("data-id") + ": " + li.getAttribute("data-human-only"); });
    askHumanOnly(to === "status:resolved" ? "resolved" : "dismissed", lines).then(function (yes) {
      if (!yes) return;
      var confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmHumanOnly";
      confirmed.value = "1";
      form.appendChild(confirmed);
      form.setAttribute("data-confirmed", "true");
      form.submit();
    });
  });

  // Sources: choosing a type shows its form; "Test connection" asks the server without leaving the page, so the
  // credentials typed stay in the browser (the server never sends a secret back).
  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t && t.matches && t.matches("select[data-autosubmit]") && t.form) t.form.submit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button[data-test-config]") : null;
    if (!button || !button.form) return;
    event.preventDefault();
    var form = button.form;
    var out = document.getElementById("test-result");
    if (out) { out.className = ""; out.textContent = "Testing…"; }
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      headers: { accept: "application/json", "x-csrf-token": csrf, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)).toString(),
      credentials: "same-origin",
    }).then(function (res) {
      if (res.status === 401) { toLogin(); throw new Error("signed out"); }
      return res.json();
    }).then(function (data) {
      form.querySelectorAll(".field-error[data-from-test]").forEach(function (el) { el.remove(); });
      var errors = (data && data.fieldErrors) || {};
      Object.keys(errors).forEach(function (name) {
        var field = form.querySelector('.config-field[data-field="' + name + '"]');
        if (!field) return;
        var note = document.createElement("span");
        note.className = "error field-error";
        note.setAttribute("data-from-test", "true");
        note.setAttribute("role", "alert");
        note.textContent = errors[name];
        field.appendChild(note);
      });
      if (out) {
        out.className = data && data.ok ? "notice" : "error";
        out.textContent = data && data.ok ? "Connection works: " + data.message : (data && (data.message || (data.error && data.error.message))) || "Test failed";
      }
    }).catch(function () {});
  });

  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t && t.id === "select-all") {
      items().forEach(function (li) {
        var box = li.querySelector('input[type="checkbox"]');
        if (box) box.checked = t.checked;
      });
    }
  });

  document.addEventListener("click", function (event) {
    var t = event.target;
    var li = t && t.closest ? t.closest("li.mention") : null;
    if (li && t.tagName !== "A" && t.tagName !== "INPUT") setCurrent(li);
    // A button that asks first (data-confirm: the question): asked in the page, then sent as it would have been.
    var asking = t && t.closest ? t.closest("[data-confirm]") : null;
    if (asking && asking.getAttribute("data-confirmed") !== "true") {
      event.preventDefault();
      ask({ title: asking.getAttribute("data-confirm"), lines: [], confirm: asking.textContent || "Yes" }).then(function (yes) {
        if (!yes) return;
        asking.setAttribute("data-confirmed", "true");
        asking.click();
        asking.removeAttribute("data-confirmed");
      });
    }
  });
})();
`;

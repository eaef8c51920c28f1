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

  function toast(message) {
    var el = document.createElement("div");
    el.className = "toast";
    el.setAttribute("role", "status");
    el.textContent = message;
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, 3500);
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
    if (tag) tag.textContent = "→ " + email;
  }

  // A mention that needs a person (self-harm, attorney, dispute…) carries why in data-human-only; dismissing it
  // takes it out of the queue, so the person confirms after reading why (the server refuses otherwise).
  function humanOnlyWarning(id) {
    var el = document.querySelector('li.mention[data-id="' + id + '"]') || document.querySelector('[data-mention-id="' + id + '"]');
    return el ? el.getAttribute("data-human-only") : null;
  }
  function setStatus(status) {
    var id = focusedId();
    if (!id) return;
    var body = { ids: [id], status: status };
    if (status === "dismissed") {
      var warning = humanOnlyWarning(id);
      if (warning) {
        if (!confirm(warning + "\\n\\nDismiss it anyway?")) return;
        body.confirmHumanOnly = true;
      }
    }
    var done = function () {
      showStatus(id, status);
      toast("Mention " + id + ": " + status.replace(/_/g, " "));
      if (current()) move(1);
    };
    var needsConfirm = function (error) {
      return error.status === 409 && error.details && error.details.confirm === "confirmHumanOnly";
    };
    var closing = status === "dismissed" || status === "resolved";
    api("POST", "/api/mentions/status", body, closing).then(done).catch(function (error) {
      if (!closing) return;
      // A near-duplicate grouped under this row needs a person: the server says which and why; ask, then retry.
      if (error.status === undefined) return; // signed out or offline: nothing to say here
      if (!needsConfirm(error) || body.confirmHumanOnly) { toast(error.message); return; }
      var why = error.details.mentions.map(function (m) { return m.warning; }).join("\\n\\n");
      if (!confirm(why + "\\n\\nDismiss it anyway?")) return;
      body.confirmHumanOnly = true;
      api("POST", "/api/mentions/status", body).then(done).catch(function () {});
    });
  }
  function assignToMe() {
    var id = focusedId();
    if (!id) return;
    api("POST", "/api/mentions/assign", { ids: [id], assignee: "me" }).then(function (data) {
      showAssignee(id, data.assignee ? data.assignee.email : "me");
      toast("Mention " + id + " assigned to you");
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
    if (!form || form.id !== "bulk") return;
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
    var lines = flagged.map(function (li) { return "Mention " + li.getAttribute("data-id") + ": " + li.getAttribute("data-human-only"); });
    var verb = to === "status:resolved" ? "Resolve " : "Dismiss ";
    if (!confirm(lines.join("\\n") + "\\n\\n" + verb + (flagged.length === 1 ? "it" : "them") + " anyway?")) {
      event.preventDefault();
      return;
    }
    var confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmHumanOnly";
    confirmed.value = "1";
    form.appendChild(confirmed);
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
    if (t && t.matches && t.matches("[data-confirm]") && !confirm(t.getAttribute("data-confirm"))) event.preventDefault();
  });
})();
`;

// Served at /reply-assets/reply-editor.js on the Reply panel: lints the draft live as it is typed (POST
// /api/replies/lint), marks every hit in place with its rule and explanation, and keeps "Submit" disabled while
// any blocking hit remains or the text on screen is not the saved one; house-style warnings are listed apart (an
// approver may accept them). Text is only ever inserted as text, never as HTML.
export const replyEditorJs = `
(function () {
  "use strict";
  var textarea = document.getElementById("reply-text");
  var result = document.getElementById("lint-result");
  var submit = document.getElementById("submit-reply");
  var counter = document.getElementById("reply-counter");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  document.querySelectorAll("button.copy-reply").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy") || "";
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () { button.textContent = "Copied"; });
    });
  });
  if (!textarea || !result) return;
  var editor = textarea.closest(".editor");
  var saved = textarea.value;
  var timer = null;
  var sequence = 0;

  function hitList(hits, className, testId) {
    var list = document.createElement("ul");
    list.className = className;
    list.setAttribute("data-testid", testId);
    hits.forEach(function (v) {
      var item = document.createElement("li");
      item.setAttribute("data-rule", v.rule);
      var code = document.createElement("b");
      code.textContent = v.rule;
      item.appendChild(code);
      var name = document.createElement("span");
      name.className = "rule-name";
      name.textContent = " " + (v.title || "");
      item.appendChild(name);
      item.appendChild(document.createTextNode(": " + v.message));
      var why = document.createElement("div");
      why.className = "muted";
      why.textContent = v.explanation || "";
      item.appendChild(why);
      list.appendChild(item);
    });
    return list;
  }

  function render(text, blocking, warnings) {
    var violations = blocking.concat(warnings);
    var blocks = function (v) { return blocking.indexOf(v) >= 0; };
    result.textContent = "";
    var box = document.createElement("div");
    box.className = "reply-highlight";
    box.setAttribute("data-testid", "reply-highlight");
    var cuts = [0, text.length];
    violations.forEach(function (v) { if (v.end > v.start) { cuts.push(v.start, v.end); } });
    cuts = cuts.filter(function (c, i) { return cuts.indexOf(c) === i; }).sort(function (a, b) { return a - b; });
    for (var i = 0; i < cuts.length - 1; i++) {
      var start = cuts[i], end = cuts[i + 1];
      var rules = violations.filter(function (v) { return v.end > v.start && v.start <= start && v.end >= end; });
      var piece = text.slice(start, end);
      if (rules.length) {
        var mark = document.createElement("mark");
        mark.className = rules.some(blocks) ? "lint-hit" : "lint-hit lint-warn";
        mark.setAttribute("data-rules", rules.map(function (v) { return v.rule; }).join(" "));
        mark.title = rules.map(function (v) { return v.rule + " · " + (v.title || "") + ": " + v.message; }).join("; ");
        mark.textContent = piece;
        box.appendChild(mark);
      } else {
        box.appendChild(document.createTextNode(piece));
      }
    }
    violations.filter(function (v) { return v.end <= v.start; }).forEach(function (v) {
      var missing = document.createElement("mark");
      missing.className = blocks(v) ? "lint-missing" : "lint-missing lint-warn";
      missing.setAttribute("data-rules", v.rule);
      missing.title = v.rule + ": " + v.message;
      missing.textContent = " \\u27c2 ";
      box.appendChild(missing);
    });
    result.appendChild(box);
    if (violations.length === 0) {
      var ok = document.createElement("p");
      ok.className = "lint-ok";
      ok.setAttribute("data-testid", "lint-ok");
      ok.textContent = "No compliance problems found.";
      result.appendChild(ok);
    } else {
      if (blocking.length) {
        result.appendChild(hitList(blocking, "violations", "violations"));
      } else {
        var clean = document.createElement("p");
        clean.className = "lint-ok";
        clean.setAttribute("data-testid", "lint-no-blocking");
        clean.textContent = "No blocking problems.";
        result.appendChild(clean);
      }
      if (warnings.length) {
        var note = document.createElement("p");
        note.className = "muted";
        note.textContent = "House style, not law: an approver may accept these with a written reason.";
        result.appendChild(note);
        result.appendChild(hitList(warnings, "warnings", "warnings"));
      }
    }
    if (submit) {
      var blocked = blocking.length > 0 || textarea.value !== saved;
      submit.disabled = blocked;
      submit.title = blocking.length > 0 ? "Fix every blocking problem first" : textarea.value !== saved ? "Save the text first" : "";
    }
  }

  function lint() {
    var text = textarea.value;
    var mine = ++sequence;
    if (counter) counter.textContent = text.length + " characters";
    fetch(editor.getAttribute("data-lint-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({
        text: text,
        platform: editor.getAttribute("data-platform"),
        mentionId: Number(editor.getAttribute("data-mention-id")),
      }),
    })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) {
        if (!data || mine !== sequence) return;
        result.setAttribute("data-linted", String(mine));
        render(text, data.violations || [], data.warnings || []);
      })
      .catch(function () {});
  }

  textarea.addEventListener("input", function () {
    if (submit) submit.disabled = true;
    clearTimeout(timer);
    timer = setTimeout(lint, 250);
  });
  lint();
})();
`;

export const replyEditorCss = `
.reply-highlight { white-space: pre-wrap; overflow-wrap:anywhere; background:#fafbfc; border:1px dashed var(--line, #dde1e6); padding:.5rem; margin:.5rem 0; }
mark.lint-hit { background:#fde2e1; border-bottom:2px solid #b3261e; cursor:help; }
mark.lint-missing { background:#fff4e0; border:1px dashed #c25e00; cursor:help; }
mark.lint-warn { background:#fff4e0; border-bottom-color:#c25e00; }
.accept-warnings { border:1px solid #c25e00; padding:.4rem .6rem; }
ul.violations li { margin:.3rem 0; }
.lint-ok { color:#1e7a3c; }
.reply-editor button:disabled { opacity:.45; cursor:not-allowed; }
.editor { position:relative; }
.editor .counter { position:absolute; right:.4rem; bottom:.2rem; font-size:.75rem; color:#5f6b7a; }
.reply-blocked { border-left:4px solid #b3261e; }
.account-links ul.evidence { margin:.2rem 0 .4rem 1rem; font-size:.85rem; }
`;

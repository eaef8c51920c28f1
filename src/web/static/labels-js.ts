// The "needs a label" page's keys (views/labels-page.tsx): j/k move between mentions, 1–9 / r / n press the
// current mention's button with that data-key (a plain form submit: the server stores the label and redirects
// back to the queue). Served as /static/labels.js; no inline script (the CSP forbids it).
export const labelsJs = `(function () {
  "use strict";
  function items() { return Array.prototype.slice.call(document.querySelectorAll("ol.label-queue > li.label-item")); }
  function current() { return document.querySelector("ol.label-queue > li.label-item.current"); }
  function move(step) {
    var all = items();
    if (all.length === 0) return;
    var at = all.indexOf(current());
    var next = all[Math.max(0, Math.min(all.length - 1, at + step))];
    all.forEach(function (el) { el.classList.remove("current"); });
    next.classList.add("current");
    mark();
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "nearest" });
  }
  // The shared stylesheet styles the feed's current row only; the ring is set here (CSSOM, allowed by the CSP).
  function mark() {
    items().forEach(function (el) { el.style.boxShadow = el.classList.contains("current") ? "0 0 0 2px var(--accent)" : ""; });
  }
  mark();
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (/^[1-9rn]$/.test(key)) {
      var row = current();
      var button = row && row.querySelector('button[data-key="' + key + '"]');
      if (!button) return;
      button.click();
    } else return;
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);
})();
`;

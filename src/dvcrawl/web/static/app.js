// dvcrawl review desk: keyboard shortcuts and the bulk bar. Loaded as a file (the CSP forbids
// inline scripts). j/k move the selection, a/r approve/reject the selected article, x ticks it,
// o or Enter opens it, / focuses the search box.
"use strict";

(function () {
  const rows = () => Array.from(document.querySelectorAll("table.articles tr[data-article-id]"));
  let current = -1;

  function select(index) {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("selected", i === current));
    all[current].scrollIntoView({ block: "nearest" });
  }

  function selectedRow() {
    const all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function press(action) {
    // In a list: the selected row's button; on an article's own page: that article's.
    const scope = selectedRow() || document.querySelector("article.full");
    const button = scope && scope.querySelector(`[data-action="${action}"]`);
    if (button) button.click();
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function updateCount() {
    const count = document.getElementById("selected-count");
    if (!count) return;
    const n = document.querySelectorAll('input[name="ids"]:checked').length;
    count.textContent = n ? `Đã chọn ${n} bài` : "";
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const row = selectedRow();
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": press("approve"); break;
      case "r": press("reject"); break;
      case "x":
        if (row) { const box = row.querySelector('input[name="ids"]'); box.checked = !box.checked; updateCount(); }
        break;
      case "o": case "Enter":
        if (row) row.querySelector("a.title").click();
        break;
      case "/": {
        const box = document.getElementById("search-box");
        if (box) box.focus();
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", () => {
    const all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", () => {
        document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = all.checked; });
        updateCount();
      });
    }
    document.addEventListener("change", (event) => {
      if (event.target.matches('input[name="ids"]')) updateCount();
    });
    rows().forEach((row, i) => row.addEventListener("click", (event) => {
      if (!event.target.closest("a, button, input")) select(i);
    }));
    if (rows().length) select(0);
  });
})();

// The book's tables (tightrope.timeline.html_table) on small and large screens.
// - Each cell learns its column's name, so that on a phone a row can be shown as a card.
// - A page whose tables hold many rows (the fact-check ledger, the timeline) gets one filter above
//   them: a search box and, where the tables have one, a choice of verdict or category.
//   A table longer than LONG_TABLE rows shows its first SHOWN_ROWS until the reader asks for all of
//   them, filters, or follows a link to a later row (printing shows every row).
// - Any other table that has to scroll sideways becomes a labelled region a keyboard can scroll.
(function () {
  "use strict";
  var MANY_ROWS = 25;
  var LONG_TABLE = 40, SHOWN_ROWS = 25;
  var CHOICE_COLUMNS = ["Verdict", "Category", "Kind"];

  function headers(table) {
    return Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
  }

  function label(table) {
    var names = headers(table);
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (names[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i]);
      });
    });
    if (names.length >= 3) table.classList.add("tr-cards");
  }

  function addFilter(tables) {
    var rows = [];
    tables.forEach(function (table) {
      table.querySelectorAll("tbody tr").forEach(function (row) { rows.push(row); });
    });
    if (rows.length < MANY_ROWS) return;
    var box = document.createElement("div");
    box.className = "tr-table-filter";
    box.setAttribute("role", "search");
    box.setAttribute("aria-label", "Filter the tables on this page");
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "a word, a name, a date";
    var searchLabel = document.createElement("label");
    searchLabel.append("Find rows containing ", search);
    box.append(searchLabel);

    // A choice of the values of the first column named in CHOICE_COLUMNS that all the tables share.
    var column = CHOICE_COLUMNS.filter(function (name) {
      return tables.every(function (table) { return headers(table).indexOf(name) >= 0; });
    })[0];
    var select = null;
    if (column) {
      var values = {};
      rows.forEach(function (row) {
        var cell = row.querySelector('td[data-label="' + column + '"]');
        if (cell && cell.textContent.trim()) values[cell.textContent.trim()] = true;
      });
      select = document.createElement("select");
      select.append(new Option("all", ""));
      Object.keys(values).sort().forEach(function (value) { select.append(new Option(value, value)); });
      var selectLabel = document.createElement("label");
      selectLabel.append(column + " ", select);
      box.append(selectLabel);
    }
    var count = document.createElement("output");
    count.setAttribute("aria-live", "polite");
    box.append(count);

    // Long tables start folded: a button under each shows the rest.
    var folded = [];
    tables.forEach(function (table) {
      var body = table.querySelectorAll("tbody tr");
      if (body.length <= LONG_TABLE) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tr-show-all";
      var wrapper = table.closest(".tr-table-scroll") || table;
      wrapper.parentNode.insertBefore(button, wrapper.nextSibling);
      var entry = {table: table, rows: body, button: button, open: false};
      button.addEventListener("click", function () { entry.open = !entry.open; apply(); });
      folded.push(entry);
    });

    function apply() {
      var words = search.value.trim().toLowerCase();
      var choice = select ? select.value : "";
      var shown = 0;
      rows.forEach(function (row) {
        var cell = choice && row.querySelector('td[data-label="' + column + '"]');
        var keep = (!words || row.textContent.toLowerCase().indexOf(words) >= 0) &&
                   (!choice || cell && cell.textContent.trim() === choice);
        row.classList.toggle("tr-filtered-out", !keep);
        if (keep) shown++;
      });
      folded.forEach(function (entry) {
        var fold = !entry.open && !words && !choice;
        Array.prototype.forEach.call(entry.rows, function (row, i) {
          row.classList.toggle("tr-folded", fold && i >= SHOWN_ROWS);
        });
        entry.button.hidden = Boolean(words || choice);
        entry.button.textContent = entry.open ? "Show only the first " + SHOWN_ROWS + " rows"
                                              : "Show all " + entry.rows.length + " rows";
        entry.button.setAttribute("aria-expanded", String(entry.open));
      });
      tables.forEach(function (table) {
        var wrapper = table.closest(".tr-table-scroll") || table;
        wrapper.classList.toggle("tr-filtered-out", !table.querySelector("tbody tr:not(.tr-filtered-out)"));
      });
      count.value = shown === rows.length ? rows.length + " rows" : "Showing " + shown + " of " + rows.length + " rows";
    }

    // A link to a folded row (the book's {event} links, a shared address) unfolds its table first.
    function reveal() {
      var id = decodeURIComponent(location.hash.slice(1));
      var target = id && document.getElementById(id);
      if (!target) return;
      folded.forEach(function (entry) {
        if (!entry.open && entry.table.contains(target) && target.classList.contains("tr-folded")) {
          entry.open = true;
          apply();
          target.scrollIntoView();
        }
      });
    }
    search.addEventListener("input", apply);
    if (select) select.addEventListener("change", apply);
    apply();
    var first = tables[0].closest(".tr-table-scroll") || tables[0];
    var anchor = first.closest(".cell") || first;
    anchor.parentNode.insertBefore(box, anchor);
    reveal();
    window.addEventListener("hashchange", reveal);
  }

  // Any other table wider than its column (a data frame shown by a notebook) goes in a labelled
  // region a keyboard can scroll.
  function wrapWide() {
    document.querySelectorAll(".bd-content table").forEach(function (table) {
      if (table.closest(".tr-table-scroll, .pst-scrollable-table-container") || !table.getClientRects().length) return;
      var parent = table.parentElement;
      if (table.getBoundingClientRect().width <= parent.clientWidth + 1) return;
      var caption = table.querySelector("caption");
      var box = document.createElement("div");
      box.className = "tr-table-scroll";
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      box.setAttribute("aria-label", (caption ? caption.textContent.trim() + " " : "Table ") +
                       "(scrolls sideways)");
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  // Tables that scroll sideways (the theme's containers) get a name and a place in the tab order.
  function markScrolling() {
    document.querySelectorAll(".pst-scrollable-table-container").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth) return;
      var caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + " " : "") +
                         "(table; scrolls sideways)");
      }
    });
  }

  function start() {
    var tables = Array.prototype.slice.call(document.querySelectorAll(".bd-content table.tr-table"));
    tables.forEach(label);
    if (tables.length) addFilter(tables);
    wrapWide();
    markScrolling();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.addEventListener("load", function () { wrapWide(); markScrolling(); });

  // Content a reader reveals (a solution, a hidden cell, a text description) may hold a table or code
  // too wide for the column: it gets the same treatment, and scrolling code or output a tab stop
  // (the theme gives them one only at load, when a window is resized or when elements are added).
  var SCROLLING = "pre, .cell_output > .output";
  function revealed() {
    wrapWide();
    markScrolling();
    document.querySelectorAll(".bd-content").forEach(function (content) {
      content.querySelectorAll(SCROLLING).forEach(function (el) {
        if (el.getClientRects().length && el.scrollWidth > el.clientWidth + 1 && el.tabIndex < 0) el.tabIndex = 0;
      });
    });
  }
  var timer = null;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(revealed, 40);
  }
  function watch() {
    var main = document.getElementById("main-content") || document.body;
    new MutationObserver(soon).observe(main, {subtree: true, attributes: true, attributeFilter: ["class", "open", "hidden"]});
    document.addEventListener("toggle", soon, true);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();

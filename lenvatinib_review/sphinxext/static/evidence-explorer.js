// The evidence explorer (lenvatinib_review/sphinxext/evidence_explorer.py): filters and sorts the
// table the build rendered, and keeps the view in the page address so that it can be linked to.
// The filter values and sort ranks of each row come from the JSON the build wrote beside the table.
"use strict";
(() => {
  const explorer = document.querySelector(".evidence-explorer");
  if (!explorer) return;
  const data = JSON.parse(explorer.querySelector("script.evidence-explorer-data").textContent);
  const form = explorer.querySelector("form.evidence-explorer-controls");
  const status = explorer.querySelector(".evidence-explorer-status");
  const notice = explorer.querySelector(".evidence-explorer-notice");
  const toggle = explorer.querySelector(".evidence-explorer-toggle");
  const copy = form.querySelector(".evidence-explorer-copy");
  const table = explorer.querySelector("table");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const headers = Array.from(table.tHead.rows[0].cells);
  const selects = data.filters.map((key) => form.elements[key]);
  const search = form.elements.q;
  const ORDERS = ["ascending", "descending"];
  const info = new Map(rows.map((row, index) => [row, {
    ...data.rows[row.id.slice(data.rowIdPrefix.length)],
    index,
    text: row.textContent.replace(/\s+/g, " ").toLowerCase(),
  }]));
  let sort = null; // {column, descending}

  const buttons = headers.map((header, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "evidence-explorer-sort";
    button.textContent = header.textContent.trim();
    button.addEventListener("click", () => {
      sort = { column, descending: sort !== null && sort.column === column && !sort.descending };
      update();
    });
    header.replaceChildren(button);
    return button;
  });

  // Equal ranks keep the file's order; a missing rank (a year not seen) sorts last either way.
  function compare(a, b) {
    const x = info.get(a), y = info.get(b);
    const p = x.ranks[sort.column], q = y.ranks[sort.column];
    if (p !== q) {
      if (p === null) return 1;
      if (q === null) return -1;
      return sort.descending ? q - p : p - q;
    }
    return x.index - y.index;
  }

  function update() {
    const chosen = selects.filter((select) => select.value);
    const words = search.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const { values, text } = info.get(row);
      const match = chosen.every((s) => values[s.name].includes(s.value)) && (!words || text.includes(words));
      row.hidden = !match;
      shown += match;
    }
    // Hidden rows go last, so that the theme's alternate-row shading stays regular.
    const ordered = sort ? rows.slice().sort(compare) : rows;
    body.append(...ordered.filter((row) => !row.hidden), ...ordered.filter((row) => row.hidden));
    headers.forEach((header, column) => {
      if (sort && sort.column === column) header.setAttribute("aria-sort", ORDERS[+sort.descending]);
      else header.removeAttribute("aria-sort");
    });
    let message = `${shown} of ${rows.length} findings shown`;
    if (sort) message += `, sorted by ${buttons[sort.column].textContent} (${ORDERS[+sort.descending]})`;
    status.textContent = message;
    toggle.textContent = `Filters (${chosen.length + Boolean(words)})`;
    save();
  }

  function save() {
    const params = new URLSearchParams();
    for (const select of selects) if (select.value) params.set(select.name, select.value);
    if (search.value.trim()) params.set("q", search.value.trim());
    if (sort) {
      params.set("sort", data.columns[sort.column]);
      params.set("order", ORDERS[+sort.descending]);
    }
    const query = params.toString();
    history.replaceState(history.state, "", (query ? `?${query}` : location.pathname) + location.hash);
  }

  // A view from the address; what it does not understand is named, not silently dropped.
  function restore() {
    const params = new URLSearchParams(location.search);
    const ignored = [];
    for (const [key, value] of params) {
      const select = selects.find((s) => s.name === key);
      const column = data.columns.indexOf(value);
      if (select && value && Array.from(select.options).some((option) => option.value === value)) {
        select.value = value;
      } else if (key === "q") {
        search.value = value;
      } else if (key === "sort" && column >= 0) {
        sort = { column, descending: params.get("order") === "descending" };
      } else if (!(key === "order" && ORDERS.includes(value) && params.has("sort"))) {
        ignored.push(`${key}=${value}`);
      }
    }
    notice.textContent = ignored.length ? `Not understood in the page address, so ignored: ${ignored.join(", ")}.` : "";
    notice.hidden = !ignored.length;
  }

  // On a phone the form folds behind the toggle (the stylesheet shows the toggle on narrow screens only).
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    explorer.classList.toggle("evidence-explorer-open", open);
  });
  // Where the clipboard is refused, the address is shown for the reader to copy.
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      notice.textContent = "Link to this view copied.";
    } catch {
      notice.textContent = `Link to this view: ${location.href}`;
    }
    notice.hidden = false;
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", update);
  search.addEventListener("input", update);
  form.querySelector(".evidence-explorer-clear").addEventListener("click", () => {
    form.reset();
    sort = null;
    update();
  });
  restore();
  update();
})();

/* Citations as disclosures (lenvatinib_review/sphinxext/citation_links.py).
 *
 * A click or Enter on a citation, or focus reaching it from the keyboard, shows the full reference
 * just after it, with its DOI, PubMed and PubMed Central links and a link to the bibliography entry;
 * a second click or Enter, or Escape, hides it. Shown by focus alone, it hides again when focus
 * leaves the citation and its reference. The references come from the page's
 * <template id="citation-details">, rendered from the bibliography when the book is built. Without
 * this script a citation is a plain link to its bibliography entry. */
"use strict";

(() => {
  const template = document.getElementById("citation-details");
  if (!template) return;
  const references = new Map(
    [...template.content.querySelectorAll("[data-citation]")].map((node) => [node.dataset.citation, node]),
  );
  let made = 0;
  let returning = null; // the citation that Escape gives focus back to, which must not reopen on that focus

  const target = (link) => decodeURIComponent(new URL(link.href, document.baseURI).hash.slice(1));

  function panelOf(link) {
    if (link.citationDetails) return link.citationDetails;
    const panel = document.createElement("span");
    panel.className = "citation-details";
    panel.id = `citation-details-${++made}`;
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", `Reference: ${link.textContent}`);
    panel.hidden = true;
    panel.append(references.get(target(link)).cloneNode(true));
    const entry = document.createElement("a");
    entry.className = "citation-details-entry";
    entry.href = link.href;
    entry.textContent = "Entry in the bibliography";
    panel.append(entry);
    panel.addEventListener("keydown", (event) => escape(event, link));
    panel.addEventListener("focusout", (event) => leave(event, link));
    link.after(panel);
    link.setAttribute("aria-controls", panel.id);
    link.citationDetails = panel;
    return panel;
  }

  function show(link, pinned) {
    panelOf(link).hidden = false;
    link.setAttribute("aria-expanded", "true");
    if (pinned) link.dataset.pinned = "";
  }

  function hide(link) {
    if (link.citationDetails) link.citationDetails.hidden = true;
    link.setAttribute("aria-expanded", "false");
    delete link.dataset.pinned;
  }

  function escape(event, link) {
    if (event.key !== "Escape" || link.getAttribute("aria-expanded") !== "true") return;
    event.preventDefault();
    hide(link);
    returning = link;
    link.focus();
    returning = null;
  }

  function leave(event, link) {
    const next = event.relatedTarget;
    const inside = next && (next === link || (link.citationDetails && link.citationDetails.contains(next)));
    if (!inside && !("pinned" in link.dataset)) hide(link);
  }

  for (const link of document.querySelectorAll("span.bibtex-citation a.reference.internal")) {
    if (!references.has(target(link))) continue;
    link.setAttribute("aria-expanded", "false");
    link.addEventListener("click", (event) => {
      // A click with a modifier (new tab, new window) follows the link as usual.
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      if ("pinned" in link.dataset) hide(link);
      else show(link, true);
    });
    link.addEventListener("focus", () => {
      if (link !== returning && link.matches(":focus-visible")) show(link, false);
    });
    link.addEventListener("focusout", (event) => leave(event, link));
    link.addEventListener("keydown", (event) => escape(event, link));
  }
})();

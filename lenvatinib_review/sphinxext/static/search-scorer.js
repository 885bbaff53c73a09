/* The search scorer (Sphinx's html_search_scorer; lenvatinib_review/sphinxext/search_ranking.py).
 *
 * Sphinx scores a page by where the words were found: in a title (15, or 7 for part of a word)
 * before the text (5, or 2). Pages of equal score come out alphabetically; here they are ordered by
 * coverage instead: the share of the page's sections that use the words searched for, from
 * SEARCH_SECTIONS (_static/search-sections.js). Coverage is below 1, so it never lifts a page past
 * one with a higher Sphinx score: title matches stay first. */
var Scorer = {
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,

  // Added to a page's sections so that a page of one section is not wholly about every word in it.
  sectionsAdded: 3,

  queryStems: () => {
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const stemmer = new Stemmer();
    return splitQuery(query.toLowerCase())
      .filter((word) => !stopwords.includes(word) && !/^\d+$/.test(word) && !word.startsWith("-"))
      .map((word) => stemmer.stemWord(word));
  },

  coverage: (docname) => {
    const page = typeof SEARCH_SECTIONS === "undefined" ? -1 : SEARCH_SECTIONS.docnames.indexOf(docname);
    const stems = Scorer.queryStems();
    if (page < 0 || !stems.length) return 0;
    const sections = SEARCH_SECTIONS.sections[page] + Scorer.sectionsAdded;
    const share = (stem) => ((SEARCH_SECTIONS.terms[stem] || {})[page] || 1) / sections;
    return stems.reduce((total, stem) => total + share(stem), 0) / stems.length;
  },

  score: (result) => {
    const [docname, , , , score] = result;
    return score + Scorer.coverage(docname);
  },
};

/* Sphinx's searchtools.js (7.4) makes each result's snippet from the page's main text, leaving out only
 * heading anchors, scripts and styles (Search.htmlToText); it has no hook for more. The theme's main
 * text begins with a print-only copy of the title and table of contents, so a word in a section title
 * gave a snippet of contents entries. This wrapper removes what a reader does not see there, then lets
 * Sphinx's function do the rest. */
if (typeof Search !== "undefined") {
  const sphinxHtmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".onlyprint, .cite-this, template").forEach((element) => element.remove());
    return sphinxHtmlToText(page.documentElement.outerHTML, anchor);
  };
}

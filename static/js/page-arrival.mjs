// A boosted link or form changes the page without loading one: a screen reader announces
// no new page, and the focus falls to <body> with the link it was on, so the next Tab
// starts over at the header. Focus the new page's content instead, as the skip link does,
// unless the page placed the focus itself (a refused form's first wrong field).
document.addEventListener("htmx:afterSettle", (event) => {
  if (!event.detail.boosted) return;
  const focused = document.activeElement;
  if (focused && focused !== document.body) return;
  document.getElementById("main")?.focus({ preventScroll: true });
});

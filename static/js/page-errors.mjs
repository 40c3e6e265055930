// A boosted link or form that meets an error page shows it, as the browser does without
// htmx: a refused form (400) with its messages, a page gone meanwhile (404), a 403 or a 500.
// base.html's htmx config keeps error responses out of the page by default, which is right
// for a fragment (a 404 page must not land inside a list) but left a boosted form or link
// doing nothing at all, not a word said.

document.addEventListener("htmx:beforeSwap", (event) => {
  const { boosted, xhr } = event.detail;
  const html = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/html");
  if (boosted && xhr.status >= 400 && html) {
    event.detail.shouldSwap = true;
    event.detail.isError = false; // a page to read, not a failure to log
  }
});

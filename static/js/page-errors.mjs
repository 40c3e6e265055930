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

// A fragment asked for without a connection (an Edit link, say): the worker leaves it to
// the browser, which fails, and htmx would say nothing. Said where the page's messages go.
// A form the offline queue keeps is not refused: offline-log.mjs keeps it to send later.
document.addEventListener("htmx:sendError", (event) => {
  if (event.detail.elt?.closest?.("form[data-offline-queue]")) return;
  const main = document.getElementById("main");
  if (!main) return;
  let status = document.getElementById("connection-message");
  if (!status) {
    status = document.createElement("div");
    status.id = "connection-message";
    status.setAttribute("role", "status");
    main.prepend(status);
  }
  const item = document.createElement("li");
  item.className = "message message--error";
  item.textContent = "No connection: that needs the network. Nothing was changed; try again once you are online.";
  const list = document.createElement("ul");
  list.className = "messages";
  list.append(item);
  // Filled after it is in the page, so that a screen reader hears it.
  requestAnimationFrame(() => status.replaceChildren(list));
});

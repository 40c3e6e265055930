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
// the browser, which fails, and htmx would say nothing. Said beside what was clicked, where
// the person is looking (the top of the page may be a screen away), and gone with the next
// answer from the server. A form the offline queue keeps is not refused: offline-log.mjs
// keeps it to send later.
document.addEventListener("htmx:sendError", (event) => {
  const source = event.detail.elt;
  if (source?.closest?.("form[data-offline-queue]")) return;
  document.getElementById("connection-message")?.remove();
  const status = document.createElement("div");
  status.id = "connection-message";
  status.setAttribute("role", "status");
  const near = source?.closest?.("li, section, form") || document.getElementById("main");
  if (!near) return;
  if (near.id === "main") near.prepend(status);
  else if (near.tagName === "LI") near.append(status); // a list holds only its items
  else near.after(status);
  const item = document.createElement("li");
  item.className = "message message--error";
  item.textContent = "No connection: that needs the network. Nothing was changed; try again once you are online.";
  const list = document.createElement("ul");
  list.className = "messages";
  list.append(item);
  // Filled after it is in the page, so that a screen reader hears it.
  requestAnimationFrame(() => {
    status.replaceChildren(list);
    status.scrollIntoView({ block: "nearest" });
  });
});

document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.successful) document.getElementById("connection-message")?.remove();
});

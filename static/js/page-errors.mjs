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
// the browser, which fails, and htmx would say nothing. A form the offline queue keeps is
// not refused: offline-log.mjs keeps it to send later.
document.addEventListener("htmx:sendError", (event) => {
  const source = event.detail.elt;
  if (source?.closest?.("form[data-offline-queue]")) return;
  sayBeside(source, "No connection: that needs the network. Nothing was changed; try again once you are online.");
});

// No answer within base.html's timeout (a weak signal, a server stuck): said as a missing
// connection is, rather than nothing at all for ever. What changes something may have been
// done before the answer was lost.
document.addEventListener("htmx:timeout", (event) => {
  const { elt: source, requestConfig } = event.detail;
  if (source?.closest?.("form[data-offline-queue]")) return;
  if (requestConfig?.verb === "get") {
    sayBeside(source, "No answer from the server; nothing was changed. Try again.");
  } else {
    sayBeside(source, "No answer from the server, so that may not have been saved.", {
      reload: "Reload the page to check, then try again",
    });
  }
});

// An upload takes as long as the line needs: no timeout cuts a file short.
document.addEventListener("htmx:configRequest", (event) => {
  const files = [...(event.detail.formData?.values() || [])].filter((value) => value instanceof File);
  if (files.some((file) => file.size)) event.detail.timeout = 0;
});

// A fragment refused by the server (a set or session deleted in another tab or on another
// device, a coach's access ended): htmx leaves it out of the page (base.html), which left
// the click doing nothing and the deleted set still listed.
const REFUSALS = {
  403: "That was refused: you may no longer change this, or your sign-in has ended.",
  404: "That is no longer here: it was deleted, perhaps in another tab or on another device, or is no longer yours.",
  413: "That is more than the site takes at once.",
};
document.addEventListener("htmx:responseError", (event) => {
  const { boosted, xhr, elt } = event.detail;
  if (boosted) return; // shown as a page (above)
  if (GONE.has(xhr.status) && polls(elt)) {
    stopPolling(elt);
    return;
  }
  const refused = REFUSALS[xhr.status] || (xhr.status >= 500
    ? "Something went wrong on our side, and that may not have been saved."
    : "That was refused.");
  if (xhr.status >= 500) sayBeside(elt, refused, { reload: "Reload the page to check" });
  else sayBeside(elt, `${refused} Nothing was changed.`, { reload: "Reload the page to see it as it is now" });
});

// A poll (hx-trigger="every ...") answered 404 or 410: what the page waits on is gone (deleted
// in another tab, or no longer this person's), and asking again every few seconds only meets the
// same answer. Every poll of that address stops (htmx polls no element out of the page), and
// the page says so once, where the first of them was: a quiet status, not an error, since the
// person did nothing, and the page is not scrolled to it.
const GONE = new Set([404, 410]);
const polls = (elt) => /^\s*every\s/.test(elt?.getAttribute?.("hx-trigger") || "");

function stopPolling(poll) {
  if (!poll.isConnected) return; // a second poll's answer: already said
  const address = poll.getAttribute("hx-get");
  const same = [...document.querySelectorAll("[hx-trigger]")].filter(
    (other) => polls(other) && other.getAttribute("hx-get") === address,
  );
  const status = document.createElement("div");
  status.setAttribute("role", "status");
  same[0].before(status);
  for (const other of same) other.remove();
  // The page's own words (a <template> the poll names in data-gone), else ours.
  const own = document.getElementById(poll.dataset.gone || "")?.content;
  const said = own ? own.cloneNode(true) : document.createElement("p");
  if (!own) said.textContent = "This is no longer here: it was deleted, perhaps in another tab or on another device.";
  // Filled after it is in the page, so that a screen reader hears it.
  requestAnimationFrame(() => status.replaceChildren(said));
}

// Said beside what was clicked, where the person is looking (the top of the page may be a
// screen away), and gone with the next answer from the server.
export function sayBeside(source, text, { reload = "" } = {}) {
  document.getElementById("request-message")?.remove();
  const status = document.createElement("div");
  status.id = "request-message";
  status.setAttribute("role", "status");
  const near = source?.closest?.("li, section, form") || document.getElementById("main");
  if (!near) return;
  if (near.id === "main") near.prepend(status);
  else if (near.tagName === "LI") near.append(status); // a list holds only its items
  else near.after(status);
  const item = document.createElement("li");
  item.className = "message message--error";
  item.textContent = text;
  if (reload) {
    const link = document.createElement("a");
    link.href = location.href;
    link.textContent = reload;
    item.append(" ", link);
  }
  const list = document.createElement("ul");
  list.className = "messages";
  list.append(item);
  // Filled after it is in the page, so that a screen reader hears it.
  requestAnimationFrame(() => {
    status.replaceChildren(list);
    status.scrollIntoView({ block: "nearest" });
  });
}

document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.successful) document.getElementById("request-message")?.remove();
});

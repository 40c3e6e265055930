// "Copy link" beside a link a person is to pass on (a coach's invitation): a phone has no
// easy way to select text that wraps over three lines. Shown only where the browser can
// write to the clipboard (a secure page); without it the link stays there to select.

const BUTTONS = "button[data-copy]";

function offer(root) {
  if (!navigator.clipboard) return;
  for (const button of root.querySelectorAll(BUTTONS)) button.hidden = false;
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest(BUTTONS);
  if (!button) return;
  const said = button.parentElement.querySelector("[data-copy-said]");
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    said.textContent = "Copied.";
  } catch {
    said.textContent = "Could not copy: select the link and copy it.";
  }
});

offer(document);
document.addEventListener("htmx:load", (event) => offer(event.target));

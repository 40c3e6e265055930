// The set forms: the box that takes focus (reps, autofocus) comes back holding the last
// set's number. Focus moved there by the page or by htmx leaves the caret at one end, so
// typing "9" over an "8" saved "98"; selecting the number makes what is typed replace
// it, as Tab into a box already does.
//
// Module-level listeners: the module runs once per document, however often htmx swaps
// the form or brings the page back.

import { announce, announcer } from "./announce.mjs";

const BOX = "form.set-form [autofocus]";

function selectIfFocused(box) {
  if (box && box === document.activeElement && typeof box.select === "function") box.select();
}

document.addEventListener("focusin", (event) => {
  if (event.target instanceof Element && event.target.matches(BOX)) selectIfFocused(event.target);
});
// htmx focuses the swapped-in box before it fires htmx:load; a page that loaded before
// this module ran has its box focused already.
document.addEventListener("htmx:load", (event) => {
  selectIfFocused(event.target.querySelector?.(BOX));
});
selectIfFocused(document.querySelector(BOX));

// What a change to the set list did, said for a screen reader (announce.mjs). A refused set
// is not said here: its field holds the message and the focus.
const ANNOUNCED = [
  [/\/delete\/$/, (list) => list.querySelector(".undo span")?.textContent],
  [/\/restore\/$/, (list) => list.querySelector(".undo--refused")?.textContent || "Set restored."],
  [/\/edit\/$/, () => "Set saved."],
  [/\/sets\/(repeat\/|mirror\/)?$/, (list) => added(list)],
];

function added(list) {
  const rows = list.querySelectorAll(".set-list > .set-row");
  const row = rows[rows.length - 1];
  if (!row) return "";
  const side = row.querySelector(".set-row__side")?.textContent ?? "";
  const main = row.querySelector(".set-row__main")?.textContent ?? "";
  return `Set added: ${side}, ${main}.`;
}

document.addEventListener("htmx:load", () => {
  if (document.getElementById("sets-and-entry")) announcer();
});
if (document.getElementById("sets-and-entry")) announcer();

document.addEventListener("htmx:afterSettle", (event) => {
  const list = document.getElementById("sets-and-entry");
  const config = event.detail.requestConfig;
  if (!list || config?.verb !== "post" || list.querySelector("[aria-invalid='true']")) return;
  const path = new URL(config.path, location.href).pathname;
  const said = ANNOUNCED.find(([pattern]) => pattern.test(path));
  const text = said ? (said[1](list) || "").replace(/\s+/g, " ").trim() : "";
  if (text) announce(text);
});

// After a change the server marks where the focus goes (the undo strip, the set changed:
// views._after_set_change), or the entry form's Reps keeps it for the next set, and htmx
// focuses it without scrolling (the focus was already there, or is kept with preventScroll),
// which leaves it half off the screen, or a screen away at a large zoom: it is brought whole
// into view.
document.addEventListener("htmx:afterSettle", () => {
  const focused = document.activeElement;
  if (focused?.matches("#sets-and-entry [tabindex='-1'], #sets-and-entry input")) {
    focused.scrollIntoView({ block: "nearest" });
  }
});

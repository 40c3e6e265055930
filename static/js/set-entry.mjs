// The set forms: the box that takes focus (reps, autofocus) comes back holding the last
// set's number. Focus moved there by the page or by htmx leaves the caret at one end, so
// typing "9" over an "8" saved "98"; selecting the number makes what is typed replace
// it, as Tab into a box already does.
//
// Module-level listeners: the module runs once per document, however often htmx swaps
// the form or brings the page back.

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

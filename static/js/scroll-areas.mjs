// Sideways scroll areas ([data-scroll-area]): a wide table or chart scrolls inside its own
// box instead of pushing the page sideways. An area that does overflow gets a hint under
// it saying which way the rest is, kept up to date as it scrolls. A chart marked
// data-scroll-area="end" opens on its newest data, the right-hand end.
//
// htmx swaps pages without reloading this module, so setup is idempotent and runs on
// htmx:load too.

const AREA = "[data-scroll-area]";
const known = new WeakSet();
const resized = new ResizeObserver((entries) => {
  for (const entry of entries) mark(entry.target);
});

function hintFor(area) {
  const next = area.nextElementSibling;
  if (next?.matches(".scroll-hint")) return next;
  const hint = document.createElement("p");
  hint.className = "scroll-hint";
  // The region's own label already says it scrolls; this is for the eye.
  hint.setAttribute("aria-hidden", "true");
  area.after(hint);
  return hint;
}

function mark(area) {
  const max = area.scrollWidth - area.clientWidth;
  const overflows = max > 1;
  const before = overflows && area.scrollLeft > 1;
  const after = overflows && area.scrollLeft < max - 1;
  area.toggleAttribute("data-overflows", overflows);
  const hint = hintFor(area);
  hint.hidden = !overflows;
  if (before && after) hint.textContent = "← More on both sides: swipe or scroll →";
  else if (before) hint.textContent = "← More to the left: swipe or scroll";
  else if (after) hint.textContent = "More to the right: swipe or scroll →";
}

function setUp(scope) {
  if (!(scope instanceof Element || scope instanceof Document)) return;
  const areas = scope instanceof Element && scope.matches(AREA) ? [scope] : [];
  areas.push(...scope.querySelectorAll(AREA));
  for (const area of areas) {
    if (known.has(area)) continue;
    known.add(area);
    if (area.dataset.scrollArea === "end") area.scrollLeft = area.scrollWidth;
    mark(area);
    area.addEventListener("scroll", () => mark(area), { passive: true });
    resized.observe(area);
  }
}

document.addEventListener("htmx:load", (event) => setUp(event.target));
setUp(document);

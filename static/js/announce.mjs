// What a change to a list of sets did, said for a screen reader: the session page swaps its
// list whole and the offline log page redraws its own, so nothing in them is announced by
// itself (a status box inserted with it is often not read). One region kept outside them,
// there before its text changes, says it (set-entry.mjs, offline-log.mjs).

/** The region, made on first call: call it when the page opens, before anything is said. */
export function announcer() {
  let region = document.getElementById("set-announcer");
  if (!region) {
    region = document.createElement("div");
    region.id = "set-announcer";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    document.body.append(region);
  }
  return region;
}

export function announce(text) {
  announcer().textContent = text;
}

// The timer's plan form: the tempo menu and the custom tempo field stay in step.
// Typing a tempo other than the chosen preset's chooses Custom; choosing a preset
// shows its tempo in the field (each option carries it as data-tempo). The server
// follows the same rule (coaching.forms.plan_form), so without this script a typed
// tempo still wins. Listeners sit on the document: they serve every form htmx brings in.
//
// Offline, a changed plan is not drawn: the page is the server's (the form's checks, the
// tempo's warning, each phase's cues; coaching/forms.py, coaching/timer.py) and the worker
// keeps only the plans the site links to, so the form would give way to the offline page
// and lose what was typed. It says so beside the form instead, which keeps every value.

import { sayBeside } from "./page-errors.mjs";

const FORM = ".plan-form";
const CUSTOM = "custom";

const squeeze = (text) => text.replace(/\s+/g, "");

function fieldsOf(target) {
  const form = target instanceof Element ? target.closest(FORM) : null;
  if (!form) return null;
  const menu = form.querySelector('select[name="preset"]');
  const tempo = form.querySelector('input[name="tempo"]');
  return menu && tempo ? { menu, tempo } : null;
}

document.addEventListener("input", (event) => {
  const fields = fieldsOf(event.target);
  if (!fields || event.target !== fields.tempo) return;
  const chosen = fields.menu.selectedOptions[0];
  const typed = squeeze(fields.tempo.value);
  if (chosen?.dataset.tempo && typed && typed !== chosen.dataset.tempo) {
    fields.menu.value = CUSTOM;
  }
});

document.addEventListener("change", (event) => {
  const fields = fieldsOf(event.target);
  if (!fields || event.target !== fields.menu) return;
  const notation = fields.menu.selectedOptions[0]?.dataset.tempo;
  if (notation) fields.tempo.value = notation;
});

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches(FORM) || navigator.onLine) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // before htmx's own listener on the form
    sayBeside(
      form,
      "No connection: changing the plan needs the network. What you typed stays here: press Update the timer " +
        "once you are online. The timer above runs the plan it shows.",
    );
  },
  true,
);

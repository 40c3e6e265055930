// The timer's plan form: the tempo menu and the custom tempo field stay in step.
// Typing a tempo other than the chosen preset's chooses Custom; choosing a preset
// shows its tempo in the field (each option carries it as data-tempo). The server
// follows the same rule (coaching.forms.plan_form), so without this script a typed
// tempo still wins. Listeners sit on the document: they serve every form htmx brings in.

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

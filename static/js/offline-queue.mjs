// The offline queue's rules, as plain functions of what they are given: what an entry
// is, the order entries go in, what the server's answer means, what the queue becomes
// after it. No DOM and no IndexedDB here (offline-store.mjs keeps the entries,
// offline-log.mjs shows them), so Node's test runner checks it (tests/offline-queue.test.mjs).
//
// An entry is one thing logged without a connection: a session started ("session"), a
// set ("set"), or a finished timer plan's sets ("timer"). Its id is the submission id
// the server saves it under exactly once (training/sync_views.py), so sending an entry
// again, after a lost answer or a replayed queue, never saves it twice. Its fields are
// the form's [name, value] pairs, in the order the form had them, as the form would post.

/** An entry as it is kept; `seq` orders it after everything logged before it. */
export function newEntry({ kind, user, fields, seq, loggedAt, label = "" }) {
  const id = value(fields, "submission_id");
  if (!id) throw new Error("an entry needs its submission_id");
  return { id, kind, user, seq, loggedAt, label, fields, state: "waiting", refusal: null };
}

/** The first value of a field, or "" (FormData.get's answer, on our pairs). */
export function value(fields, name) {
  const pair = fields.find(([key]) => key === name);
  return pair ? String(pair[1]) : "";
}

/** Fields with `name` set to `replacement` (added if missing). */
export function withValue(fields, name, replacement) {
  const rest = fields.filter(([key]) => key !== name);
  return [...rest, [name, replacement]];
}

/** The seq an entry logged now takes: after every entry kept. */
export function nextSeq(entries) {
  return entries.reduce((top, entry) => Math.max(top, entry.seq), 0) + 1;
}

/** The order entries are sent and shown in: the order they were logged. */
export function inOrder(entries) {
  return [...entries].sort((a, b) => a.seq - b.seq);
}

/** The session a set entry belongs to, as {pk} or {submission} (one started offline). */
export function sessionOf(entry) {
  const pk = value(entry.fields, "session");
  return pk ? { pk } : { submission: value(entry.fields, "session_submission_id") };
}

/** Does this set entry belong to the session `key` ({pk} or {submission})? */
export function belongsTo(entry, key) {
  if (entry.kind !== "set") return false;
  const own = sessionOf(entry);
  return own.pk ? own.pk === String(key.pk ?? "") : own.submission === key.submission;
}

/**
 * Why an entry cannot be sent yet, or null: a set whose session was started offline
 * waits for that session, and is held back (not sent to be refused) if it was refused.
 */
export function heldBy(entry, entries) {
  if (entry.kind !== "set") return null;
  const { submission } = sessionOf(entry);
  if (!submission) return null;
  const session = entries.find((other) => other.kind === "session" && other.id === submission);
  if (session && session.state === "refused") return session;
  return null;
}

/** What is to be sent, in order, for the signed-in user: waiting entries of theirs. */
export function toSend(entries, user) {
  return inOrder(entries).filter(
    (entry) => entry.state === "waiting" && String(entry.user) === String(user) && !heldBy(entry, entries),
  );
}

/** What a POST body carries for an entry: its kind and fields. */
export function body(entry) {
  return [["kind", entry.kind], ...entry.fields];
}

/**
 * What the server's answer means, given {type, status, json} (json may be null):
 * - "saved": 2xx; the entry is done (sent twice, the second answer names the first save).
 * - "refused": 4xx with a reason (a value out of range, its session deleted): kept, shown.
 * - "signed-out": the login redirect (fetch with redirect "manual") or a refused token:
 *   nothing more is sent until the trainee signs in; nothing is marked refused.
 * - "retry": no answer, a server error, throttling: the same entry again later.
 */
export function outcome({ type, status, json }) {
  if (type === "opaqueredirect" || (status >= 300 && status < 400) || status === 401 || status === 403) {
    return { result: "signed-out" };
  }
  if (status >= 200 && status < 300) return { result: "saved", answer: json || {} };
  if (status >= 400 && status < 500 && status !== 429 && json && json.refused) {
    const refusal = { message: json.refused, errors: json.errors || {}, confirm: json.confirm || "" };
    // Logged in another unit than the trainee's now: the load as the set form shows it in
    // theirs, and the kilograms that is (training/sync_views.py, _converted).
    if (json.unit) refusal.converted = { unit: json.unit, load: json.load || "", kg: json.load_kg_shown || "" };
    return { result: "refused", refusal };
  }
  return { result: "retry" };
}

/** The queue after one entry's outcome: saved ones leave it, refused ones stay marked. */
export function applyOutcome(entries, entry, result) {
  if (result.result === "saved") return entries.filter((other) => other.id !== entry.id);
  if (result.result === "refused") {
    return entries.map((other) =>
      other.id === entry.id ? { ...other, state: "refused", refusal: result.refusal } : other,
    );
  }
  return entries;
}

/** A refused entry sent again as corrected (same id and place in the order). */
export function corrected(entry, fields) {
  return { ...entry, fields, state: "waiting", refusal: null };
}

/**
 * What a refused set puts in the set form on Fix: its fields as logged, or, refused for a unit
 * changed since, in the unit now, its load converted with the kilograms it stands for (sent
 * back as shown, the set keeps them: 30 kg, not the 66.14 lb shown read back).
 */
export function fixFields(entry) {
  const converted = entry.refusal?.converted;
  if (!converted) return entry.fields;
  const fields = withValue(entry.fields, "unit", converted.unit);
  if (!converted.load) return fields;
  return withValue(withValue(fields, "load", converted.load), "load_kg_shown", converted.kg);
}

/** What Fix says of a load it converted ("" when it converted none). */
export function conversionNote(entry) {
  const converted = entry.refusal?.converted;
  if (!converted?.load) return "";
  const { load, unit } = converted;
  const logged = `${value(entry.fields, "load")} ${value(entry.fields, "unit")}`;
  return `Logged as ${logged}, which is ${load} ${unit}: your weights are in ${unit} now.`;
}

/** A refused set the trainee confirms as typed: the server's "Yes, save" answer. */
export function confirmed(entry) {
  return corrected(entry, withValue(entry.fields, "confirm", entry.refusal?.confirm || ""));
}

/**
 * Send what is to be sent, one at a time and in order, for the signed-in `user`.
 * `send(entry)` answers an outcome (it never throws: no network is {result: "retry"});
 * `keep(entries, entry)` stores the queue after each answer. Stops at the first entry
 * that must wait (no network, signed out): the ones after it wait behind it, in order.
 * Answers {entries, saved: [[entry, answer]...], stopped: null | "retry" | "signed-out"}.
 */
export async function drain(entries, user, send, keep = async () => {}) {
  const saved = [];
  for (;;) {
    const next = toSend(entries, user)[0];
    if (!next) return { entries, saved, stopped: null };
    const result = await send(next);
    if (result.result === "retry" || result.result === "signed-out") {
      return { entries, saved, stopped: result.result };
    }
    entries = applyOutcome(entries, next, result);
    if (result.result === "saved") saved.push([next, result.answer]);
    await keep(entries, next);
  }
}

/**
 * The side the set form offers next, given the sides of the session's sets so far and the
 * sides the form offers: as the session page's form comes back after a set
 * (training/views.py, _next_set_initial), one leg at a time goes to the side with fewer
 * sets, the left on a tie; otherwise the one side offered.
 */
export function nextSide(sides, offered) {
  if (!offered.includes("left") || !offered.includes("right")) return offered[0] ?? null;
  const count = (side) => sides.filter((other) => other === side).length;
  return count("left") > count("right") ? "right" : "left";
}

/**
 * The number each waiting set takes on its side ("Left 2", as the session's list numbers a
 * saved one), after the `saved` sides of its session, in the order they were logged: a
 * refused set is no set of the session, and takes none. A Map of entry id to number.
 */
export function sideNumbers(saved, entries) {
  const count = new Map();
  const next = (side) => count.set(side, (count.get(side) || 0) + 1).get(side);
  saved.forEach(next);
  const numbers = new Map();
  for (const entry of inOrder(entries)) {
    if (entry.kind === "set" && entry.state !== "refused") numbers.set(entry.id, next(value(entry.fields, "side")));
  }
  return numbers;
}

const SIDE_NAMES = { left: "Left", right: "Right", both: "Both legs" };

/** An effort as the session's list writes it (training/fields.py EFFORT_CHOICES). */
function describeEffort(effort) {
  const [scale, number] = effort.split(":");
  if (scale === "rpe" && number) return `RPE ${number}`;
  if (scale === "rir" && number) return `${number} in reserve`;
  return "";
}

/** One line for a set entry, as the session's list writes a saved set. */
export function describeSet(fields, unit) {
  const reps = Number(value(fields, "reps") || 0);
  const parts = [reps === 0 ? "Hold only" : `${reps} rep${reps === 1 ? "" : "s"}`];
  const load = value(fields, "load");
  parts.push(load && Number(load) > 0 ? `${load} ${unit || ""}`.trim() : "body weight");
  const hold = value(fields, "hold_seconds");
  if (hold && Number(hold) > 0) parts.push(`hold ${hold} s`);
  const tempo = value(fields, "tempo");
  if (tempo) parts.push(tempo);
  const effort = describeEffort(value(fields, "effort"));
  if (effort) parts.push(effort);
  return { side: SIDE_NAMES[value(fields, "side")] || "Side not chosen", main: parts.join(" · ") };
}

/** The words for an entry's state, as the lists show them. */
export function stateText(entry, entries) {
  if (entry.state === "refused") return "Not saved";
  if (heldBy(entry, entries)) return "Waiting for its session";
  return "Waiting to sync";
}

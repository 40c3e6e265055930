// Logging without a connection, on every page (base.html): a form marked
// data-offline-queue (the session page's "Add a set", the offline log page's forms, the
// timer's "log these sets") that cannot reach the server is kept on the device
// (offline-store.mjs) with its submission id, and shown at once in the session's list as
// waiting to sync. Whenever a page is online the queue is sent in order (offline-queue.mjs
// decides what each answer means); what the server refuses stays, with its data and the
// reason, until the trainee fixes or discards it. Logging out or closing the account warns
// about anything not sent, then deletes the trainee's part of the queue.
//
// The session page is never kept for offline use (it is personal); /offline/log/ is the
// same page for everyone, kept by the worker, and fills itself from the queue here.

import { announce, announcer } from "./announce.mjs";
import * as queue from "./offline-queue.mjs";
import * as store from "./offline-store.mjs";

const root = document.documentElement.dataset;
const SYNC_URL = root.offlineSync;
// Read afresh each time: htmx swaps the page's body on every boosted link.
const signedIn = () => document.querySelector(".account[data-user]")?.dataset.user || "";
const here = () => document.querySelector("[data-offline-account]"); // the log and session pages
const offlineLog = () => document.getElementById("offline-log");
// `saved`: what the last send saved, for the offline page to say where it went; `renamed`:
// a session started offline, by its key there ("new:<id>"), to its key once saved ("pk:<id>").
const status = { signedOut: false, sending: false, saved: null, renamed: new Map() };

// How long a set's post waits for an answer before it is kept on the device as with no
// network, and how long each request of a sync waits: a set saves in well under a second
// (bench/log_pages.py), and a trainee between sets should not watch "Sending…" much longer.
// Kept, it is sent again under its submission id, so a late save of the first post makes no
// second set. Our choice.
const SET_ANSWER_MS = 10_000;

const uuid = () => crypto.randomUUID();
const today = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
};

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children.filter(Boolean));
  return node;
}

async function known() {
  return (await store.exists()) ? store.entries() : [];
}

/** Who logs on this device, if anyone ever did (without making the queue by asking). */
async function knownAccount() {
  return (await store.exists()) ? store.account() : null;
}

// Who logs here

/** A signed-in page says who logs on this device, their unit and the session open, with
 *  the sides of its saved sets (the offline page's next side follows them). */
async function rememberAccount() {
  const user = signedIn();
  const page = here();
  if (!user) return;
  const before = await store.account();
  const same = before && String(before.user) === user;
  const open = page?.dataset.session;
  const session = open
    ? { pk: open, date: page.dataset.date, variation: page.dataset.variation, sides: savedSides() }
    : same
      ? before.session
      : null;
  await store.setAccount({ user, unit: page?.dataset.unit || (same ? before.unit : "") || "kg", session });
}

/** The sides of the sets the session page lists as saved, in order. */
function savedSides() {
  const rows = document.querySelectorAll("#sets-and-entry .set-list > .set-row:not([data-entry])");
  return [...rows].map((li) => ["left", "right", "both"].find((side) => li.classList.contains(`set-row--${side}`)));
}

// Queueing a form

/** A form's fields as [name, value] pairs, from the form or from what htmx sent of it. */
function formFields(source) {
  return [...(source instanceof FormData ? source : new FormData(source))]
    .filter(([name]) => name !== "csrfmiddlewaretoken")
    .map(([name, value]) => [name, String(value)]);
}

/** Keep `form` on the device: as it stands, or as `sent` (FormData) if it was posted. */
async function queueForm(form, sent = null) {
  const kind = form.dataset.offlineQueue;
  const account = await store.account();
  const owner = signedIn() || account?.user;
  if (!owner) return false; // nobody's log to keep it for: the browser shows its own error
  let fields = formFields(sent || form);
  if (kind === "set") {
    const where = form.dataset.session
      ? ["session", form.dataset.session]
      : ["session_submission_id", form.dataset.sessionSubmission || ""];
    // The form's own unit, if it names one, is the one pushed below: sent once.
    fields = [...fields.filter(([name]) => !name.startsWith("session") && name !== "unit"), where];
    fields.push(["unit", form.dataset.unit || account?.unit || "kg"]);
  }
  if (kind === "timer") fields.push(["date", today()]);
  const all = await known();
  // Sent under a kept entry's id (Fix puts it in the form): that entry, corrected.
  const replaced = all.find((entry) => entry.id === queue.value(fields, "submission_id"));
  const entry = replaced
    ? queue.corrected(replaced, fields)
    : queue.newEntry({
        kind,
        user: owner,
        fields,
        seq: queue.nextSeq(all),
        loggedAt: new Date().toISOString(),
        // A session started offline is named by its rung, as the log names one.
        label: form.querySelector("[name=variation]")?.selectedOptions?.[0]?.textContent || "",
      });
  await store.put(entry);
  const id = form.querySelector("[name=submission_id]");
  if (id && kind !== "timer") id.value = uuid(); // the next set is another submission
  form.dispatchEvent(new CustomEvent("offline:queued", { bubbles: true, detail: entry }));
  if (kind === "timer") {
    const text = "Kept on this device: waiting to sync to your log.";
    const kept = element("p", { role: "status", tabindex: "-1", text });
    form.replaceWith(kept);
    kept.focus(); // where the button it replaces had it, not lost to the page's start
  }
  await render();
  if (kind === "set") {
    const { side, main } = queue.describeSet(entry.fields, queue.value(entry.fields, "unit"));
    announce(`Kept on this device: ${side}, ${main}. It will be sent when you are online.`);
    readyForNext(form, await sidesLogged(form));
  }
  if (navigator.onLine) scheduleSync();
  return true;
}

/** The sides of a set form's session's sets, in order: those the session page lists as
 *  saved, then those kept on this device (a refused one is not logged). */
async function sidesLogged(form) {
  const key = form.dataset.session ? { pk: form.dataset.session } : { submission: form.dataset.sessionSubmission };
  const saved = offlineLog() ? knownSaved(await store.account(), key) : savedSides();
  return [...saved, ...sidesOf((await known()).filter((entry) => queue.belongsTo(entry, key)))];
}

/** On the offline page, the sides of the saved sets of the session `key` that this device
 *  knows: seen on its session page, or sent since (none for a session not saved yet). */
function knownSaved(account, key) {
  const session = account?.session;
  return key.pk && session && String(session.pk) === String(key.pk) ? session.sides || [] : [];
}

function sidesOf(entries) {
  return queue.inOrder(entries.filter((entry) => entry.state !== "refused")).map((entry) => queue.value(entry.fields, "side"));
}

function chooseSide(form, logged) {
  const radios = [...form.querySelectorAll("[name=side]")];
  const offered = radios.filter((input) => !input.closest("label")?.hidden).map((input) => input.value);
  const side = queue.nextSide(logged, offered);
  for (const input of radios) input.checked = input.value === side;
}

/** After a set is kept, the form is ready for the next one as the session page's comes back
 *  from the server: the same numbers and tempo, the next side, no effort, nothing flagged. */
function readyForNext(form, logged) {
  for (const box of form.querySelectorAll("[name=form_errors], [name=pain]")) box.checked = false;
  const effort = form.querySelector("[name=effort]");
  if (effort) effort.value = "";
  form.querySelector(".set-form__confirm")?.remove();
  form.querySelector(".set-form__converted")?.remove();
  const note = form.querySelector("[name=note]");
  if (note) note.value = "";
  form.querySelector(".set-form__more")?.removeAttribute("open");
  chooseSide(form, logged);
  form.querySelector("[name=reps]")?.focus();
}

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.matches(".logout-form")) return logOut(event, form);
    if (form.matches("[data-closes-account]")) return closeAccount(event, form);
    if (!form.dataset.offlineQueue) return;
    if (navigator.onLine && !("offlineOnly" in form.dataset)) return; // htmx or the browser sends it
    event.preventDefault();
    event.stopImmediatePropagation(); // before htmx's own listener on the form
    queueForm(form);
  },
  true,
);

// Online but no answer (a gym's weak signal), or none within SET_ANSWER_MS: the same form,
// kept as it was sent, under the submission id it was sent with.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt?.matches?.("form[data-offline-queue]")) event.detail.timeout = SET_ANSWER_MS;
});
for (const unanswered of ["htmx:sendError", "htmx:timeout"]) {
  document.addEventListener(unanswered, (event) => {
    const form = event.detail.elt?.closest?.("form[data-offline-queue]");
    if (form) queueForm(form, event.detail.requestConfig?.formData);
  });
}

// A kept entry sent online by the page's own form (Fix, then "Add set") is saved under its
// id: once the server has it, and so draws the form afresh under a new id, the entry leaves.
// The form sent is gone by then (the list and form are drawn again): what it sent tells.
document.addEventListener("htmx:afterRequest", async (event) => {
  const { requestConfig, successful } = event.detail;
  if (!successful || !requestConfig?.elt?.matches?.("form[data-offline-queue='set']")) return;
  const id = requestConfig.formData?.get("submission_id");
  const drawn = document.querySelector("form[data-offline-queue='set'] [name=submission_id]")?.value;
  if (!id || drawn === id) return; // drawn again with its errors, under the same id: not saved
  if (!(await known()).some((entry) => entry.id === id)) return;
  await store.remove(id);
  await render();
});

// Sending

async function send(entry, csrf) {
  try {
    const response = await fetch(SYNC_URL, {
      method: "POST",
      body: new URLSearchParams(queue.body(entry)),
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
      redirect: "manual",
      signal: AbortSignal.timeout(SET_ANSWER_MS),
    });
    const json = (response.headers.get("Content-Type") || "").includes("json") ? await response.json() : null;
    return queue.outcome({ type: response.type, status: response.status, json });
  } catch {
    return { result: "retry" };
  }
}

async function whoIsSignedIn() {
  try {
    const response = await fetch(SYNC_URL, {
      credentials: "same-origin",
      redirect: "manual",
      signal: AbortSignal.timeout(SET_ANSWER_MS),
    });
    if (response.type === "opaqueredirect" || !response.ok) return null;
    return await response.json();
  } catch {
    return undefined; // no network, or no answer: not a sign-out
  }
}

let timer = null;
function scheduleSync(delay = 0) {
  clearTimeout(timer);
  timer = setTimeout(sync, delay);
}

export async function sync() {
  if (status.sending || !navigator.onLine) return;
  // Claimed before the first await: the "online" event and a page's own call arrive
  // together, and two runs would send the same entries twice.
  status.sending = true;
  try {
    const all = await known();
    if (!all.some((entry) => entry.state === "waiting")) return;
    const me = await whoIsSignedIn();
    if (me === undefined) return scheduleSync(30000);
    status.signedOut = me === null;
    if (!me) return;
    const done = await queue.drain(all, me.user, (entry) => send(entry, me.csrf), async (entries, entry) => {
      const now = entries.find((other) => other.id === entry.id);
      await (now ? store.put(now) : store.remove(entry.id));
    });
    status.signedOut = done.stopped === "signed-out";
    if (done.stopped === "retry") scheduleSync(30000);
    if (done.saved.length) {
      await rememberSaved(done.saved);
      refreshPage(done.saved);
    }
  } finally {
    status.sending = false;
    await render();
  }
}

/** A session started offline and now saved becomes the one this device logs into (the
 *  offline page keeps offering it, by its saved id), the sets sent into that session count
 *  among its saved ones, and the offline page says where the entries went. */
async function rememberSaved(saved) {
  const [last, answer] = saved.at(-1);
  status.saved = { count: saved.length, url: answer.url };
  for (const [entry, reply] of saved) {
    if (entry.kind === "session") status.renamed.set(`new:${entry.id}`, `pk:${reply.session}`);
  }
  const started = saved.findLast(([entry]) => entry.kind === "session");
  const account = await store.account();
  if (!account || String(account.user) !== String(last.user)) return;
  let session = account.session;
  if (started) {
    const [entry, reply] = started;
    session = {
      pk: String(reply.session),
      date: queue.value(entry.fields, "date"),
      variation: variationNamed(queue.value(entry.fields, "variation")) || entry.label || "",
      sides: [],
    };
  }
  if (!session) return;
  const into = ([entry, reply]) => entry.kind === "set" && String(reply.session) === String(session.pk);
  const sides = saved.filter(into).map(([entry]) => queue.value(entry.fields, "side"));
  await store.setAccount({ ...account, session: { ...session, sides: [...(session.sides || []), ...sides] } });
}

/** A variation's name by its id, from the offline page's list (none elsewhere). */
function variationNamed(pk) {
  const listed = document.getElementById("offline-variations");
  return listed ? JSON.parse(listed.textContent).find((v) => String(v.pk) === pk)?.name : "";
}

/** What was just saved shows where the page lists it, fetched again from the server: the
 *  session page's sets, or the log page's sessions, level and balance. */
function refreshPage(saved) {
  const page = here();
  if (!page) return;
  const pk = page.dataset.session;
  if (!pk) return refreshLogPage();
  const ours = saved.some(([, answer]) => String(answer.session) === pk);
  if (ours && window.htmx && document.getElementById("sets-and-entry")) {
    window.htmx.ajax("GET", location.pathname, { target: "#sets-and-entry", swap: "outerHTML" });
  }
}

/** The log page's main part, as the server writes it now. The messages shown with the page
 *  stay (they are not sent twice), and so does the focus, by id. */
async function refreshLogPage() {
  const address = location.href;
  let response;
  try {
    response = await fetch(address, { credentials: "same-origin", headers: { Accept: "text/html" } });
  } catch {
    return; // the connection dropped again: the page stays as it was
  }
  if (!response.ok || response.redirected) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("main");
  const main = document.getElementById("main");
  if (!fresh || !main || location.href !== address) return; // another page by now
  const focused = document.activeElement?.id;
  const messages = main.querySelector(":scope > [role=status] > .messages")?.parentElement;
  main.replaceChildren(...(messages ? [messages] : []), ...fresh.childNodes);
  window.htmx?.process(main);
  if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  await render();
}

window.addEventListener("online", () => {
  scheduleSync();
  showSignedIn();
});
document.addEventListener("htmx:afterSettle", () => start());

// Showing the queue

/** A day as the log writes it ("Mon 7 Dec"), from its ISO date; as given if it is not one. */
function dayShown(iso) {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso || "") ? new Date(`${iso}T12:00:00`) : null;
  if (!day || Number.isNaN(day.getTime())) return iso || "";
  return day.toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short" });
}

function describe(entry, unit, sessions) {
  const value = (name) => queue.value(entry.fields, name);
  if (entry.kind === "set") {
    const where = sessions?.(entry);
    const line = queue.describeSet(entry.fields, value("unit") || unit);
    return where ? { side: line.side, main: `${line.main} (${where})` } : line;
  }
  if (entry.kind === "session") {
    const rung = entry.label || variationNamed(value("variation")) || "Started offline";
    return { side: "Session", main: `${rung}, ${dayShown(value("date"))}` };
  }
  const sides = value("sides") === "both" ? "both legs" : "each leg";
  return {
    side: "Timer",
    main: `${value("sets")} × ${value("reps")} reps ${sides}, ${value("tempo")}, ${value("variation")}, ${value("date")}`,
  };
}

function row(entry, all, { unit, fixable, sessions, numbers = new Map() }) {
  const line = describe(entry, unit, sessions);
  const side = entry.kind === "set" ? queue.value(entry.fields, "side") || "unknown" : "both";
  const refused = entry.state === "refused";
  const number = numbers.get(entry.id);
  const li = element(
    "li",
    { class: `set-row set-row--${side} set-row--queued${refused ? " set-row--refused" : ""}`, "data-entry": entry.id },
    element("span", { class: "set-row__side", text: number ? `${line.side} ${number}` : line.side }),
    element("span", { class: "set-row__main", text: line.main }),
    element("span", { class: "set-row__state", text: queue.stateText(entry, all) }),
  );
  if (refused) {
    const reasons = Object.entries(entry.refusal.errors || {}).map(([, messages]) => messages.join(" "));
    li.append(element("p", { class: "set-row__refusal", role: "alert", text: [entry.refusal.message, ...reasons].join(" ") }));
    const actions = element("span", { class: "set-row__actions" });
    if (fixable(entry)) actions.append(button("fix", entry, "Fix"));
    if (entry.refusal.confirm) actions.append(button("confirm", entry, "Save as it is"));
    actions.append(button("discard", entry, "Discard"));
    li.append(actions);
  }
  return li;
}

function button(action, entry, text) {
  return element("button", { type: "button", class: "link-button", "data-queue-action": action, "data-entry": entry.id, text });
}

const KINDS = { set: ["set", "sets"], session: ["session", "sessions"], timer: ["timer's log", "timer's logs"] };

/** "5 sets and 1 session": the waiting entries by kind, as a person counts them. */
function waitingByKind(waiting) {
  const parts = Object.entries(KINDS)
    .map(([kind, [one, many]]) => [waiting.filter((entry) => entry.kind === kind).length, one, many])
    .filter(([count]) => count)
    .map(([count, one, many]) => `${count} ${count === 1 ? one : many}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0];
}

function statusLine(mine) {
  const waitingEntries = mine.filter((entry) => entry.state === "waiting");
  const waiting = waitingEntries.length;
  const refused = mine.length - waiting;
  const parts = [];
  if (waiting) parts.push(`${waitingByKind(waitingEntries)} logged offline, waiting to sync.`);
  if (refused) parts.push(`${refused} not saved: fix or discard ${refused === 1 ? "it" : "them"}.`);
  if (status.signedOut && waiting) parts.push("Log in to send them; they stay on this device until then.");
  return parts.join(" ");
}

async function render() {
  const page = here();
  const shell = offlineLog();
  const all = queue.inOrder(await known());
  // Read only where it shows: a queue to list, the offline page, or the timer's sets to keep
  // (a signed-in trainee offline with nothing queued yet keeps them too).
  const timer = document.querySelector(".timer-keep");
  const account = all.length || shell || timer ? await knownAccount() : null;
  const owner = signedIn() || account?.user || "";
  const mine = all.filter((entry) => String(entry.user) === String(owner));
  renderStatus(mine, shell);
  if (page?.dataset.session) renderSession(mine, page);
  if (shell) renderShell(mine, account, shell);
  renderTimer(account);
}

function renderStatus(mine, shell) {
  let line = document.getElementById("offline-status");
  let text = statusLine(mine);
  // On the offline page, once back online: where what was kept went.
  const saved = shell && status.saved;
  if (saved) text = `Saved ${saved.count} to your log. ${text}`.trim();
  if (!text) return line?.remove();
  if (!line) {
    line = element("p", { id: "offline-status", class: "offline-status", role: "status" });
    document.getElementById("main")?.prepend(line);
  }
  line.replaceChildren(text + " ");
  if (!shell && root.offlineLog) line.append(element("a", { href: root.offlineLog, text: "See what is kept on this device" }));
  if (saved) line.append(element("a", { href: saved.url, text: "Open the session in your log" }));
}

function setList(container) {
  let list = container.querySelector(".set-list");
  if (!list) {
    list = element("ol", { class: "set-list" });
    const empty = container.querySelector("[data-no-sets]");
    (empty || container.lastElementChild).after(list);
    empty?.setAttribute("hidden", "");
  }
  return list;
}

function renderSession(mine, page) {
  const section = document.querySelector("#sets-and-entry section");
  if (!section) return;
  section.querySelectorAll("[data-entry]").forEach((node) => node.closest("li")?.remove());
  const key = { pk: page.dataset.session };
  const ours = mine.filter((entry) => queue.belongsTo(entry, key));
  if (!ours.length) return;
  const list = setList(section);
  const form = document.querySelector("form[data-offline-queue='set']");
  const numbers = queue.sideNumbers(savedSides(), ours);
  const options = { unit: page.dataset.unit, fixable: () => Boolean(form), numbers };
  for (const entry of ours) list.append(row(entry, mine, options));
}

// The timer's visitor copy (kept for offline use, or a lapsed sign-in): its sets can still
// be kept for the trainee who logs on this device, who is offered that instead of signing
// up or logging in (pages that need a connection).
function renderTimer(account) {
  const keep = document.querySelector(".timer-keep");
  // Offered once: kept, the form gives way to a line saying so, and no second offer follows.
  if (!keep || !account || "offered" in keep.dataset) return;
  keep.dataset.offered = "";
  for (const offer of keep.querySelectorAll(":scope > p")) offer.hidden = true;
  const next = new URL(keep.querySelector("a")?.href || location.href).searchParams.get("next") || "";
  const plan = new URL(next, location.origin).searchParams;
  const form = element("form", {
    method: "post",
    action: next.split("?")[0],
    class: "timer-log-form",
    "data-offline-queue": "timer",
    "data-offline-only": "",
  });
  for (const [name, value] of plan) form.append(element("input", { type: "hidden", name, value }));
  form.append(element("input", { type: "hidden", name: "submission_id", value: uuid() }));
  form.append(element("button", { type: "submit", class: "button", text: "Log these sets when back online" }));
  keep.prepend(form);
}

// The offline log page

function renderShell(mine, account, shell) {
  shell.querySelector("[data-needs-account]").hidden = Boolean(account);
  shell.querySelector("[data-has-account]").hidden = !account;
  if (!account) return;
  const variations = JSON.parse(document.getElementById("offline-variations").textContent);
  const choice = shell.querySelector("#offline-session");
  const sessions = [];
  if (account.session) {
    const { pk, variation, date } = account.session;
    // The day first: a phone's narrow menu cuts the end of a long rung's name, not the day.
    sessions.push({ key: `pk:${pk}`, text: `${dayShown(date)}: ${variation}`, variation });
  }
  for (const entry of mine.filter((e) => e.kind === "session")) {
    const variation = variations.find((v) => String(v.pk) === queue.value(entry.fields, "variation"));
    const day = dayShown(queue.value(entry.fields, "date"));
    sessions.push({ key: `new:${entry.id}`, text: `${day}, started offline: ${variation?.name || "?"}`, variation: variation?.name });
  }
  // A session started offline and saved since is offered by its saved id: still chosen.
  let chosen = choice.value || shell.dataset.chosen || "";
  chosen = status.renamed.get(chosen) || chosen;
  if (!sessions.some((s) => s.key === chosen)) chosen = sessions.at(-1)?.key || "";
  choice.replaceChildren(...sessions.map((s) => element("option", { value: s.key, text: s.text })));
  choice.value = chosen;
  const current = sessions.find((s) => s.key === choice.value);
  const form = shell.querySelector("form[data-offline-queue='set']");
  form.hidden = !current;
  shell.querySelector("[data-no-session]").hidden = Boolean(current);
  const key = current ? (current.key.startsWith("pk:") ? { pk: current.key.slice(3) } : { submission: current.key.slice(4) }) : null;
  const inSession = key ? mine.filter((entry) => queue.belongsTo(entry, key)) : [];
  if (current) {
    delete form.dataset.session;
    delete form.dataset.sessionSubmission;
    if (key.pk) form.dataset.session = key.pk;
    else form.dataset.sessionSubmission = key.submission;
    form.dataset.unit = account.unit;
    showUnit(form, account.unit);
    if (form.dataset.sessionKey !== current.key) {
      form.dataset.sessionKey = current.key;
      const variation = variations.find((v) => v.name === current.variation);
      formForSession(form, variation, [...knownSaved(account, key), ...sidesOf(inSession)]);
    }
  }
  const list = shell.querySelector("#offline-sets");
  const numbers = key ? queue.sideNumbers(knownSaved(account, key), inSession) : new Map();
  const options = { unit: account.unit, fixable: () => true, numbers };
  list.replaceChildren(...inSession.map((entry) => row(entry, mine, options)));
  shell.querySelector("[data-no-queued]").hidden = inSession.length > 0;
  const labels = new Map(sessions.map((s) => [s.key, s.text]));
  const where = (entry) => {
    const own = queue.sessionOf(entry);
    return labels.get(own.pk ? `pk:${own.pk}` : `new:${own.submission}`) || "a session not on this device";
  };
  const rest = mine.filter((entry) => !inSession.includes(entry));
  shell.querySelector("#offline-others").replaceChildren(
    ...rest.map((entry) => row(entry, mine, { unit: account.unit, fixable: (e) => e.kind === "set" && Boolean(current), sessions: where })),
  );
  shell.querySelector("[data-others]").hidden = rest.length === 0;
  const started = shell.querySelector("[data-offline-started]");
  if (!started.value) started.value = today();
}

/** The load's label in the trainee's unit: the page is the same for everyone, in kg. */
function showUnit(form, unit) {
  const load = form.querySelector("[name=load]");
  const label = load && form.querySelector(`label[for='${load.id}']`);
  if (label) label.textContent = label.textContent.replace(/\(\w+\)/, `(${unit})`);
}

/** The set form for the session chosen: its variation's sides, the next side by the
 *  session page's rule, and its variation's tempo unless another was typed. */
function formForSession(form, variation, logged) {
  const sides = variation ? variation.sides : ["left", "right"];
  for (const input of form.querySelectorAll("[name=side]")) input.closest("label").hidden = !sides.includes(input.value);
  chooseSide(form, logged);
  const tempo = form.querySelector("[name=tempo]");
  if (variation && (!tempo.value || tempo.value === form.dataset.tempo)) tempo.value = variation.tempo;
  form.dataset.tempo = variation?.tempo || "";
}

// The offline log page's own controls, through the document: the page may arrive by htmx.
document.addEventListener("change", (event) => {
  const shell = offlineLog();
  if (shell && event.target.id === "offline-session") {
    shell.dataset.chosen = event.target.value;
    render();
  }
});
document.addEventListener("offline:queued", (event) => {
  status.saved = null; // what the last send saved is old news beside a new entry
  const shell = offlineLog();
  if (shell && event.detail.kind === "session") {
    shell.dataset.chosen = `new:${event.detail.id}`;
    shell.querySelector("#offline-session").value = "";
  }
});
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-send-now]")) sync();
});

function freshIds() {
  for (const input of document.querySelectorAll("[data-fresh-id]")) input.value ||= uuid();
}

// Fix, confirm, discard

document.addEventListener("click", async (event) => {
  const target = event.target instanceof Element && event.target.closest("[data-queue-action]");
  if (!target) return;
  const entry = (await known()).find((e) => e.id === target.dataset.entry);
  if (!entry) return render();
  const action = target.dataset.queueAction;
  if (action === "discard") {
    await store.remove(entry.id);
  } else if (action === "confirm") {
    await store.put(queue.confirmed(entry));
    scheduleSync();
  } else if (action === "fix") {
    await fill(document.querySelector("form[data-offline-queue='set']:not([hidden])"), entry);
  }
  await render();
});

/** The set form, holding a refused entry's values, its load in the trainee's unit now if
 *  that changed (said so): sent under the entry's id, it replaces the entry (queueForm), or
 *  saved online, takes its place (htmx:afterRequest above). */
async function fill(form, entry) {
  if (!form) return;
  const fields = queue.fixFields(entry);
  for (const element of form.elements) {
    if (!element.name || element.type === "hidden") continue;
    const values = fields.filter(([name]) => name === element.name).map(([, value]) => value);
    if (element.type === "radio" || element.type === "checkbox") element.checked = values.includes(element.value);
    else element.value = values[0] ?? "";
  }
  const flagged = fields.some(([name, value]) => ["form_errors", "pain", "note"].includes(name) && value);
  form.querySelector(".set-form__more")?.toggleAttribute("open", flagged); // nothing it holds hidden
  form.querySelector("[name=submission_id]").value = entry.id;
  const shownKg = form.querySelector("[name=load_kg_shown]");
  if (shownKg) shownKg.value = queue.value(fields, "load_kg_shown");
  const now = entry.refusal?.converted?.unit; // refused as logged in another unit than this
  if (now && now !== form.dataset.unit) await changeUnit(form, now);
  form.querySelector(".set-form__converted")?.remove();
  const converted = queue.conversionNote(entry);
  if (converted) {
    const text = `${converted} Check it, then add the set.`;
    form.querySelector(".set-form__grid")?.before(element("p", { class: "set-form__converted", role: "status", text }));
  }
  form.querySelector("[name=reps]")?.focus();
}

/** The trainee's unit changed since the page was drawn, the server said: the set form (and
 *  the offline page, through the account this device keeps) takes loads in it now. */
async function changeUnit(form, unit) {
  form.dataset.unit = unit;
  const shown = form.querySelector("input[type=hidden][name=unit]");
  if (shown) shown.value = unit;
  showUnit(form, unit);
  const account = await store.account();
  if (account) await store.setAccount({ ...account, unit });
}

// Logging out, and closing the account

/** How many entries `user` logged offline and has not sent, and everyone else's entries. */
async function entriesOf(user) {
  const all = await known();
  const others = all.filter((entry) => String(entry.user) !== user);
  return { unsent: all.length - others.length, others };
}

const unsentSaying = (unsent) =>
  `${unsent} ${unsent === 1 ? "entry" : "entries"} logged offline ${unsent === 1 ? "is" : "are"} not saved ` +
  "to your log yet.";

/** Delete what `user` logged offline on this device, and the device's note of them. */
async function forget(user, others) {
  if (others.length) {
    // Someone else's entries on a shared device wait for them to log in and send them.
    await store.replace(others);
    if (String((await store.account())?.user) === user) await store.forgetAccount();
  } else {
    await store.wipe();
  }
}

async function logOut(event, form) {
  event.preventDefault();
  event.stopImmediatePropagation();
  const user = signedIn();
  const { unsent, others } = await entriesOf(user);
  const them = unsent === 1 ? "it" : "them";
  const question = `${unsentSaying(unsent)} Logging out deletes ${them} from this device. Log out anyway?`;
  if (unsent && !window.confirm(question)) return;
  await forget(user, others);
  form.submit(); // the worker drops anything personal from its caches on this request
}

// Asked before the password is checked; what was logged offline goes once the account is
// closed (forgetClosedAccount), so a mistyped password deletes nothing.
async function closeAccount(event, form) {
  event.preventDefault();
  event.stopImmediatePropagation();
  const { unsent } = await entriesOf(signedIn()).catch(() => ({ unsent: 0 }));
  const them = unsent === 1 ? "it" : "them";
  const question = `${unsentSaying(unsent)} Closing your account deletes ${them} from this device too. Close it anyway?`;
  if (unsent && !window.confirm(question)) return;
  form.submit();
}

/** On the page after closing an account: what it logged offline on this device goes. */
async function forgetClosedAccount() {
  const closed = document.querySelector("[data-closed-account]")?.dataset.closedAccount;
  if (closed) await forget(closed, (await entriesOf(closed)).others);
}

/** The offline page is the same for everyone, so its header offers to log in: online and
 *  signed in, it offers the trainee's log instead, lest they think they were signed out. */
async function showSignedIn() {
  const shell = offlineLog();
  const account = document.querySelector(".account:not([data-user])");
  if (!shell || !account || !navigator.onLine) return;
  const me = await whoIsSignedIn();
  if (!me) return;
  account.replaceChildren(element("a", { href: shell.dataset.logUrl, text: "Your training log" }));
}

function start() {
  if (document.querySelector("form[data-offline-queue='set']")) announcer();
  freshIds();
  showSignedIn();
  forgetClosedAccount()
    .then(rememberAccount)
    .then(render)
    .then(() => scheduleSync())
    .catch(() => {
      // no IndexedDB (a private window, storage refused): the forms post as they always did
    });
}

start();

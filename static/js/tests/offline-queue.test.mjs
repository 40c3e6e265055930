// The offline queue's rules (offline-queue.mjs): order, replay, refusals, signing out.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as queue from "../offline-queue.mjs";

const SESSION_ID = "11111111-1111-4111-8111-111111111111";

function setEntry(seq, { id = `set-${seq}`, user = 7, session = null, side = "left", reps = "8" } = {}) {
  const where = session ? [["session_submission_id", session]] : [["session", "42"]];
  return queue.newEntry({
    kind: "set",
    user,
    seq,
    loggedAt: "2026-12-02T10:00:00Z",
    fields: [["submission_id", id], ...where, ["side", side], ["reps", reps], ["load", "20"]],
  });
}

const sessionEntry = (seq, id = SESSION_ID) =>
  queue.newEntry({ kind: "session", user: 7, seq, fields: [["submission_id", id], ["variation", "3"]] });

/** A fake server: answers by entry id, records what it was sent, saves each id once. */
function server(answers = {}) {
  const sent = [];
  const saved = new Set();
  return {
    sent,
    saved,
    send: async (entry) => {
      sent.push(entry.id);
      const answer = answers[entry.id];
      if (answer) return answer;
      saved.add(entry.id);
      return { result: "saved", answer: { set: sent.length } };
    },
  };
}

test("an entry is kept under its submission id, waiting", () => {
  const entry = setEntry(1, { id: "abc" });
  assert.equal(entry.id, "abc");
  assert.equal(entry.state, "waiting");
  assert.equal(queue.value(entry.fields, "side"), "left");
  assert.throws(() => queue.newEntry({ kind: "set", user: 1, seq: 1, fields: [] }), /submission_id/);
});

test("entries go out in the order they were logged, whatever order they are kept in", () => {
  const entries = [setEntry(3), setEntry(1), setEntry(2)];
  assert.deepEqual(queue.toSend(entries, 7).map((e) => e.seq), [1, 2, 3]);
  assert.equal(queue.nextSeq(entries), 4);
  assert.equal(queue.nextSeq([]), 1);
});

test("only the signed-in user's waiting entries are sent", () => {
  const mine = setEntry(1);
  const theirs = setEntry(2, { user: 8 });
  const refused = { ...setEntry(3), state: "refused" };
  assert.deepEqual(queue.toSend([mine, theirs, refused], 7), [mine]);
  assert.deepEqual(queue.toSend([mine, theirs, refused], "8"), [theirs]);
});

test("a session started offline goes before its sets and they follow it", async () => {
  const entries = [setEntry(2, { session: SESSION_ID }), sessionEntry(1), setEntry(3, { session: SESSION_ID })];
  const fake = server();
  const done = await queue.drain(entries, 7, fake.send);
  assert.deepEqual(fake.sent, [SESSION_ID, "set-2", "set-3"]);
  assert.deepEqual(done.entries, []);
  assert.equal(done.saved.length, 3);
  assert.equal(done.stopped, null);
});

test("the sets of a refused session are held back, not sent to be refused", async () => {
  const refusal = { result: "refused", refusal: { message: "no", errors: {}, confirm: "" } };
  const set = setEntry(2, { session: SESSION_ID });
  const fake = server({ [SESSION_ID]: refusal });
  const done = await queue.drain([sessionEntry(1), set], 7, fake.send);
  assert.deepEqual(fake.sent, [SESSION_ID]);
  assert.equal(done.entries.length, 2);
  assert.equal(queue.heldBy(set, done.entries).id, SESSION_ID);
  assert.equal(queue.stateText(set, done.entries), "Waiting for its session");
});

test("a refused entry stays with its data and reason, and the ones after it still go", async () => {
  const refusal = { result: "refused", refusal: { message: "The set could not be saved.", errors: { reps: ["Reps must be at most 100."] }, confirm: "" } };
  const fake = server({ "set-2": refusal });
  const done = await queue.drain([setEntry(1), setEntry(2, { reps: "800" }), setEntry(3)], 7, fake.send);
  assert.deepEqual(fake.sent, ["set-1", "set-2", "set-3"]);
  assert.equal(done.entries.length, 1);
  const [kept] = done.entries;
  assert.equal(kept.state, "refused");
  assert.equal(queue.value(kept.fields, "reps"), "800");
  assert.deepEqual(kept.refusal.errors, { reps: ["Reps must be at most 100."] });
  assert.equal(queue.stateText(kept, done.entries), "Not saved");
});

test("no network stops the queue at that entry; the rest wait behind it, in order", async () => {
  const fake = server({ "set-2": { result: "retry" } });
  const stored = [];
  const done = await queue.drain([setEntry(1), setEntry(2), setEntry(3)], 7, fake.send, async (entries) => {
    stored.push(entries.map((e) => e.id));
  });
  assert.deepEqual(fake.sent, ["set-1", "set-2"]);
  assert.equal(done.stopped, "retry");
  assert.deepEqual(done.entries.map((e) => [e.id, e.state]), [["set-2", "waiting"], ["set-3", "waiting"]]);
  assert.deepEqual(stored, [["set-2", "set-3"]]); // kept after each answer, not only at the end
});

test("signed out: nothing more is sent and nothing is marked refused", async () => {
  const fake = server({ "set-1": { result: "signed-out" } });
  const done = await queue.drain([setEntry(1), setEntry(2)], 7, fake.send);
  assert.equal(done.stopped, "signed-out");
  assert.deepEqual(done.entries.map((e) => e.state), ["waiting", "waiting"]);
});

test("replaying the whole queue sends each entry again under the same id: the server saves it once", async () => {
  const entries = [setEntry(1), setEntry(2)];
  const fake = server();
  // The answers were lost: the device kept the entries and sends them all again.
  await queue.drain(entries, 7, fake.send);
  await queue.drain(entries, 7, fake.send);
  assert.deepEqual(fake.sent, ["set-1", "set-2", "set-1", "set-2"]);
  assert.equal(fake.saved.size, 2);
  assert.deepEqual(queue.body(entries[0])[0], ["kind", "set"]);
  assert.equal(queue.value(queue.body(entries[0]), "submission_id"), "set-1");
});

test("what the server answers decides what becomes of the entry", () => {
  assert.equal(queue.outcome({ type: "basic", status: 200, json: { set: 4 } }).result, "saved");
  assert.equal(queue.outcome({ type: "opaqueredirect", status: 0, json: null }).result, "signed-out");
  assert.equal(queue.outcome({ type: "basic", status: 403, json: null }).result, "signed-out");
  assert.equal(queue.outcome({ type: "basic", status: 500, json: null }).result, "retry");
  assert.equal(queue.outcome({ type: "basic", status: 429, json: { refused: "slow" } }).result, "retry");
  // A 404 without our reason is a proxy's page, not a refusal: try again later.
  assert.equal(queue.outcome({ type: "basic", status: 404, json: null }).result, "retry");
  const refused = queue.outcome({ type: "basic", status: 404, json: { refused: "Its session is gone." } });
  assert.deepEqual(refused, { result: "refused", refusal: { message: "Its session is gone.", errors: {}, confirm: "" } });
  // An entry too large for the site (hipthrust.views.bad_request): kept refused, not sent again.
  assert.equal(queue.outcome({ type: "basic", status: 413, json: { refused: "Too large.", errors: {} } }).result, "refused");
});

test("a corrected entry keeps its id and place; a confirmed one adds the server's confirm", () => {
  const refused = queue.applyOutcome([setEntry(5, { reps: "80" })], setEntry(5), {
    result: "refused",
    refusal: { message: "far out", errors: {}, confirm: "reps=80" },
  })[0];
  const fixed = queue.corrected(refused, queue.withValue(refused.fields, "reps", "8"));
  assert.deepEqual([fixed.id, fixed.seq, fixed.state, queue.value(fixed.fields, "reps")], ["set-5", 5, "waiting", "8"]);
  const yes = queue.confirmed(refused);
  assert.equal(queue.value(yes.fields, "confirm"), "reps=80");
  assert.equal(queue.value(yes.fields, "reps"), "80");
});

test("a set refused for a unit changed since is fixed in the unit now, converted, saying so", () => {
  const logged = queue.newEntry({
    kind: "set",
    user: 7,
    seq: 1,
    fields: [["submission_id", "set-1"], ["session", "42"], ["side", "left"], ["reps", "10"], ["load", "30"], ["unit", "kg"]],
  });
  const answer = {
    refused: "Your weights are in lb now, and this set was logged in kg: check the load.",
    errors: {},
    unit: "lb",
    load: "66.14",
    load_kg_shown: "30",
  };
  const [refused] = queue.applyOutcome([logged], logged, queue.outcome({ type: "basic", status: 409, json: answer }));
  const fields = queue.fixFields(refused);
  assert.deepEqual(
    ["unit", "load", "load_kg_shown", "reps", "submission_id"].map((name) => queue.value(fields, name)),
    ["lb", "66.14", "30", "10", "set-1"],
  );
  assert.equal(queue.conversionNote(refused), "Logged as 30 kg, which is 66.14 lb: your weights are in lb now.");
  // Refused for anything else, or with no load to convert, it comes back as it was logged.
  const far = queue.applyOutcome([logged], logged, { result: "refused", refusal: { message: "far", errors: {}, confirm: "" } })[0];
  assert.deepEqual(queue.fixFields(far), logged.fields);
  assert.equal(queue.conversionNote(far), "");
  const bodyweight = { ...logged, fields: queue.withValue(logged.fields, "load", "") };
  const noLoad = queue.outcome({ type: "basic", status: 409, json: { refused: "in lb now", unit: "lb" } });
  const [kept] = queue.applyOutcome([bodyweight], bodyweight, noLoad);
  assert.deepEqual(["unit", "load"].map((name) => queue.value(queue.fixFields(kept), name)), ["lb", ""]);
  assert.equal(queue.conversionNote(kept), "");
});

test("a set is described as the session's list writes a saved one", () => {
  const fields = [["side", "right"], ["reps", "1"], ["load", "12.5"], ["hold_seconds", "5"], ["tempo", "3-0-1-1"]];
  assert.deepEqual(queue.describeSet(fields, "kg"), { side: "Right", main: "1 rep · 12.5 kg · hold 5 s · 3-0-1-1" });
  assert.deepEqual(queue.describeSet([["side", "both"], ["reps", "0"], ["hold_seconds", "30"]], "lb"), {
    side: "Both legs",
    main: "Hold only · body weight · hold 30 s",
  });
});

test("a set's effort is described as the session's list writes it", () => {
  const fields = [["side", "left"], ["reps", "8"], ["load", "20"], ["tempo", "3-0-1-1"]];
  assert.equal(queue.describeSet([...fields, ["effort", "rpe:7.5"]], "kg").main, "8 reps · 20 kg · 3-0-1-1 · RPE 7.5");
  assert.equal(queue.describeSet([...fields, ["effort", "rir:2"]], "kg").main, "8 reps · 20 kg · 3-0-1-1 · 2 in reserve");
  assert.equal(queue.describeSet([...fields, ["effort", ""]], "kg").main, "8 reps · 20 kg · 3-0-1-1");
});

test("the next set goes to the side with fewer sets, the left on a tie, as the session page's form", () => {
  const oneLeg = ["left", "right"];
  assert.equal(queue.nextSide([], oneLeg), "left");
  assert.equal(queue.nextSide(["left"], oneLeg), "right");
  assert.equal(queue.nextSide(["left", "right"], oneLeg), "left");
  assert.equal(queue.nextSide(["right"], oneLeg), "left");
  assert.equal(queue.nextSide(["left", "left", "right"], oneLeg), "right");
  assert.equal(queue.nextSide(["both"], ["both"]), "both", "both legs together: always both");
  assert.equal(queue.nextSide([], []), null);
});

test("a set belongs to its session by id, or by the submission id of one started offline", () => {
  assert.ok(queue.belongsTo(setEntry(1), { pk: 42 }));
  assert.ok(!queue.belongsTo(setEntry(1), { pk: 43 }));
  assert.ok(queue.belongsTo(setEntry(1, { session: SESSION_ID }), { submission: SESSION_ID }));
  assert.ok(!queue.belongsTo(sessionEntry(1), { submission: SESSION_ID }));
});

test("a waiting set is numbered on its side after the saved ones, as the list numbers a saved set", () => {
  const entries = [
    setEntry(3, { side: "left" }),
    setEntry(1, { side: "right" }),
    setEntry(2, { side: "left" }),
    { ...setEntry(4, { side: "right" }), state: "refused" },
    setEntry(5, { side: "right" }),
  ];
  const numbers = queue.sideNumbers(["left", "left", "right"], entries);
  // In the order they were logged; a refused one is no set of the session, and takes none.
  assert.deepEqual(Object.fromEntries(numbers), { "set-1": 2, "set-2": 3, "set-3": 4, "set-5": 3 });
  assert.equal(queue.sideNumbers([], [setEntry(1, { side: "both" })]).get("set-1"), 1);
});

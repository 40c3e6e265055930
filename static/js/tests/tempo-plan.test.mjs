// The tempo timer's schedule, apart from the DOM: `node --test static/js/tests/`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  buildSchedule,
  cueEvents,
  hipHeight,
  indexAt,
  progress,
  repOrder,
  resumeAfterPause,
  shift,
  skipStep,
  stepAt,
  summarize,
  totalMs,
} from "../tempo-plan.mjs";

const TEMPO_3012 = { lowering: 3, bottomPause: 0, lifting: 1, topHold: 2, notation: "3-0-1-2" };

function plan(overrides = {}) {
  return {
    tempo: TEMPO_3012,
    sets: 1,
    reps: 2,
    sides: "left-right",
    sideRest: 10,
    setRest: 60,
    leadIn: 5,
    lastHold: 0,
    ...overrides,
  };
}

const kinds = (steps) => steps.map((step) => step.kind);
const brief = (steps) => steps.map((s) => `${s.kind}:${s.side}:${s.set}.${s.rep}`);

describe("phase order and durations", () => {
  test("a rep starts from the bottom: lift, hold, lower, then the bottom pause", () => {
    const tempo = { lowering: 3, bottomPause: 1, lifting: 2, topHold: 4, notation: "3-1-2-4" };
    const steps = buildSchedule(plan({ tempo, reps: 1, sides: "both", leadIn: 0 }));
    assert.deepEqual(kinds(steps), ["lift", "hold", "lower", "pause"]);
    assert.deepEqual(
      steps.map((s) => [s.start, s.end]),
      [
        [0, 2000],
        [2000, 6000],
        [6000, 9000],
        [9000, 10000],
      ],
    );
  });

  test("steps are contiguous from one origin and the lead-in comes first", () => {
    const steps = buildSchedule(plan());
    assert.equal(steps[0].kind, "lead-in");
    assert.equal(steps[0].start, 0);
    assert.equal(steps[0].end, 5000);
    for (let i = 1; i < steps.length; i += 1) {
      assert.equal(steps[i].start, steps[i - 1].end, `gap before step ${i}`);
      assert.equal(steps[i].index, i);
    }
  });

  test("a zero-second phase produces no step", () => {
    const steps = buildSchedule(plan({ reps: 1, sides: "both", leadIn: 0 }));
    assert.deepEqual(kinds(steps), ["lift", "hold", "lower"]);
    assert.ok(steps.every((step) => step.end > step.start));
  });

  test("zero-second lead-in, rests and holds all vanish", () => {
    const tempo = { lowering: 1, bottomPause: 0, lifting: 1, topHold: 0, notation: "1-0-1-0" };
    const steps = buildSchedule(plan({ tempo, sets: 2, leadIn: 0, sideRest: 0, setRest: 0 }));
    assert.deepEqual(new Set(kinds(steps)), new Set(["lift", "lower"]));
    assert.equal(totalMs(steps), 2 * 2 * 2 * 2000);
  });

  test("the total is the sum of every phase and rest", () => {
    const steps = buildSchedule(plan({ sets: 3, reps: 12 }));
    // lead-in + 3 sets x 2 sides x 12 reps x 6 s + 3 leg switches + 2 rests between sets
    assert.equal(totalMs(steps), (5 + 3 * 2 * 12 * 6 + 3 * 10 + 2 * 60) * 1000);
  });
});

describe("sides", () => {
  test("left then right does every left rep before the first right one", () => {
    const steps = buildSchedule(plan({ leadIn: 0 })).filter((s) => s.kind === "lift");
    assert.deepEqual(brief(steps), [
      "lift:left:1.1",
      "lift:left:1.2",
      "lift:right:1.1",
      "lift:right:1.2",
    ]);
  });

  test("right then left starts on the right, lead-in included", () => {
    const steps = buildSchedule(plan({ sides: "right-left" }));
    assert.equal(steps[0].side, "right");
    assert.deepEqual(
      steps.filter((s) => s.kind === "lift").map((s) => s.side),
      ["right", "right", "left", "left"],
    );
  });

  test("alternating changes leg every rep and rests between legs each time", () => {
    const steps = buildSchedule(plan({ leadIn: 0, sides: "alternating", sideRest: 2 }));
    assert.deepEqual(
      brief(steps.filter((s) => s.kind === "lift" || s.kind === "switch")),
      ["lift:left:1.1", "switch:right:1.1", "lift:right:1.1", "switch:left:1.2"]
        .concat(["lift:left:1.2", "switch:right:1.2", "lift:right:1.2"]),
    );
  });

  test("alternating with no rest makes the drive itself the switch moment", () => {
    const steps = buildSchedule(plan({ leadIn: 0, sides: "alternating", sideRest: 0 }));
    const lifts = steps.filter((s) => s.kind === "lift");
    assert.deepEqual(
      lifts.map((s) => s.sideChange),
      [false, true, true, true],
    );
    assert.ok(!steps.some((s) => s.kind === "switch"));
  });

  test("both legs together: one side, no switch", () => {
    const steps = buildSchedule(plan({ sides: "both", sets: 2 }));
    assert.ok(steps.every((s) => s.side === "both"));
    assert.ok(!steps.some((s) => s.kind === "switch" || s.sideChange));
    assert.equal(steps.filter((s) => s.kind === "lift").length, 4);
  });

  test("the leg switch is a rest of its own, flagged as the side change", () => {
    const steps = buildSchedule(plan());
    const switches = steps.filter((s) => s.kind === "switch");
    assert.equal(switches.length, 1);
    const [change] = switches;
    assert.equal(change.side, "right");
    assert.equal(change.sideChange, true);
    assert.equal(change.end - change.start, 10_000);
    assert.equal(steps[change.index + 1].kind, "lift");
    assert.equal(steps[change.index + 1].sideChange, false);
  });

  test("with no switch rest the first right drive carries the change", () => {
    const steps = buildSchedule(plan({ sideRest: 0 }));
    const flagged = steps.filter((s) => s.sideChange);
    assert.deepEqual(brief(flagged), ["lift:right:1.1"]);
  });

  test("repOrder rejects an unknown side order", () => {
    assert.throws(() => repOrder(plan({ sides: "sideways" })), RangeError);
  });
});

describe("rests between sets", () => {
  test("come between sets only, and announce the next set's first leg", () => {
    const steps = buildSchedule(plan({ sets: 3 }));
    const rests = steps.filter((s) => s.kind === "rest");
    assert.deepEqual(brief(rests), ["rest:left:2.1", "rest:left:3.1"]);
    assert.ok(rests.every((s) => s.end - s.start === 60_000));
    assert.notEqual(steps.at(-1).kind, "rest");
    // The rest already says which leg is next, so the drive after it is no switch.
    assert.equal(steps[rests[0].index + 1].sideChange, false);
  });

  test("without a rest between sets the change back to the left is flagged", () => {
    const steps = buildSchedule(plan({ sets: 2, setRest: 0, sideRest: 0 }));
    assert.deepEqual(brief(steps.filter((s) => s.sideChange)), [
      "lift:right:1.1",
      "lift:left:2.1",
      "lift:right:2.1",
    ]);
  });
});

describe("the long hold on the last rep", () => {
  test("replaces the top hold of the last rep on each side of each set", () => {
    const steps = buildSchedule(plan({ sets: 2, reps: 3, lastHold: 20 }));
    const holds = steps.filter((s) => s.kind === "hold");
    const long = holds.filter((s) => s.long);
    assert.deepEqual(brief(long), ["hold:left:1.3", "hold:right:1.3", "hold:left:2.3", "hold:right:2.3"]);
    assert.ok(long.every((s) => s.end - s.start === 20_000));
    assert.ok(holds.filter((s) => !s.long).every((s) => s.end - s.start === 2000));
  });

  test("adds a hold even when the tempo has none at the top", () => {
    const tempo = { ...TEMPO_3012, topHold: 0, notation: "3-0-1-0" };
    const steps = buildSchedule(plan({ tempo, reps: 2, sides: "both", lastHold: 30 }));
    assert.deepEqual(
      steps.filter((s) => s.kind === "hold").map((s) => [s.rep, s.end - s.start]),
      [[2, 30_000]],
    );
  });
});

describe("edge cases", () => {
  test("one set, one rep, one side is a lead-in and one rep", () => {
    const steps = buildSchedule(plan({ reps: 1, sides: "both" }));
    assert.deepEqual(kinds(steps), ["lead-in", "lift", "hold", "lower"]);
    assert.equal(totalMs(steps), 11_000);
  });

  test("one rep per side switches once", () => {
    const steps = buildSchedule(plan({ reps: 1 }));
    assert.deepEqual(kinds(steps), [
      "lead-in",
      "lift",
      "hold",
      "lower",
      "switch",
      "lift",
      "hold",
      "lower",
    ]);
  });

  test("fractional seconds become whole milliseconds", () => {
    const tempo = { lowering: 0.5, bottomPause: 0, lifting: 0.25, topHold: 0, notation: "x" };
    const steps = buildSchedule(plan({ tempo, reps: 1, sides: "both", leadIn: 0 }));
    assert.deepEqual(
      steps.map((s) => s.end),
      [250, 750],
    );
  });
});

describe("finding the step at a time", () => {
  const steps = buildSchedule(plan());

  test("a boundary belongs to the step that starts there", () => {
    assert.equal(stepAt(steps, 4999).kind, "lead-in");
    assert.equal(stepAt(steps, 5000).kind, "lift");
    assert.equal(stepAt(steps, 5999.9).kind, "lift");
    assert.equal(stepAt(steps, 6000).kind, "hold");
  });

  test("before the start and after the end there is no step", () => {
    assert.equal(indexAt(steps, -1), -1);
    assert.equal(stepAt(steps, -1), null);
    assert.equal(indexAt(steps, totalMs(steps)), steps.length);
    assert.equal(stepAt(steps, totalMs(steps)), null);
    assert.equal(indexAt([], 0), 0);
  });

  test("every step is found at its own start and middle", () => {
    for (const step of steps) {
      assert.equal(indexAt(steps, step.start), step.index);
      assert.equal(indexAt(steps, (step.start + step.end) / 2), step.index);
    }
  });

  test("progress runs from 0 to 1 through a step", () => {
    const lower = steps.find((s) => s.kind === "lower");
    assert.equal(progress(lower, lower.start), 0);
    assert.equal(progress(lower, lower.start + 1500), 0.5);
    assert.equal(progress(lower, lower.end + 50), 1);
    assert.equal(progress(null, 0), 0);
  });

  test("shift moves the whole schedule onto another clock", () => {
    const moved = shift(steps, 1234.5);
    assert.equal(moved[0].start, 1234.5);
    assert.equal(totalMs(moved), totalMs(steps) + 1234.5);
    assert.equal(steps[0].start, 0, "the original is untouched");
  });
});

describe("pause and resume", () => {
  const steps = buildSchedule(plan({ sets: 2 }));

  test("moves every unfinished step by the pause and keeps the count", () => {
    const lift = steps.find((s) => s.kind === "lift" && s.rep === 2);
    const pausedAt = lift.start + 400;
    const resumed = resumeAfterPause(steps, pausedAt, pausedAt + 30_000);
    assert.equal(resumed.length, steps.length);
    assert.deepEqual(brief(resumed), brief(steps));
    assert.equal(totalMs(resumed), totalMs(steps) + 30_000);
    for (const step of resumed.slice(0, lift.index)) {
      assert.equal(step, steps[step.index], "finished steps are kept as they were");
    }
  });

  test("resumes the current phase exactly as far through as it was", () => {
    const lower = steps.find((s) => s.kind === "lower");
    const pausedAt = lower.start + 1000;
    const before = progress(lower, pausedAt);
    const resumed = resumeAfterPause(steps, pausedAt, pausedAt + 7000);
    assert.equal(stepAt(resumed, pausedAt + 7000).index, lower.index);
    assert.equal(progress(resumed[lower.index], pausedAt + 7000), before);
    assert.equal(resumed[lower.index].end - resumed[lower.index].start, 3000);
  });

  test("pausing on a boundary leaves the finished step alone", () => {
    const hold = steps.find((s) => s.kind === "hold");
    const resumed = resumeAfterPause(steps, hold.start, hold.start + 500);
    assert.equal(resumed[hold.index - 1], steps[hold.index - 1]);
    assert.equal(resumed[hold.index].start, hold.start + 500);
  });

  test("two pauses add up", () => {
    let moved = resumeAfterPause(steps, 1000, 3000);
    moved = resumeAfterPause(moved, 20_000, 21_500);
    assert.equal(totalMs(moved), totalMs(steps) + 3500);
  });

  test("a resume before the pause moves nothing", () => {
    assert.deepEqual(resumeAfterPause(steps, 5000, 4000), steps);
  });
});

describe("skip rest", () => {
  const steps = buildSchedule(plan({ sets: 2 }));

  test("ends the rest now and brings everything after it forward", () => {
    const rest = steps.find((s) => s.kind === "rest");
    const now = rest.start + 15_000;
    const skipped = skipStep(steps, now);
    assert.equal(skipped[rest.index].end, now);
    assert.equal(stepAt(skipped, now).kind, "lift");
    assert.equal(stepAt(skipped, now).index, rest.index + 1);
    assert.equal(totalMs(skipped), totalMs(steps) - 45_000);
    assert.deepEqual(brief(skipped), brief(steps));
  });

  test("works for the lead-in and the leg switch too", () => {
    const leadIn = skipStep(steps, 1000);
    assert.equal(stepAt(leadIn, 1000).kind, "lift");
    const change = steps.find((s) => s.kind === "switch");
    const switched = skipStep(steps, change.start + 1);
    assert.equal(stepAt(switched, change.start + 1).side, "right");
    assert.equal(stepAt(switched, change.start + 1).kind, "lift");
  });

  test("never skips part of a rep", () => {
    const lower = steps.find((s) => s.kind === "lower");
    assert.equal(skipStep(steps, lower.start + 10), steps);
    assert.equal(skipStep(steps, -5), steps);
    assert.equal(skipStep(steps, totalMs(steps) + 5), steps);
  });
});

describe("the figure's hip height", () => {
  const steps = buildSchedule(plan({ leadIn: 0, reps: 1, sides: "both" }));
  const [lift, hold, lower] = steps;

  test("rises through the lift, stays up for the hold and sinks on the way down", () => {
    assert.equal(hipHeight(lift, lift.start), 0);
    assert.equal(hipHeight(lift, lift.start + 500), 0.5);
    assert.equal(hipHeight(lift, lift.end), 1);
    assert.equal(hipHeight(hold, hold.start + 100), 1);
    assert.equal(hipHeight(lower, lower.start), 1);
    assert.equal(hipHeight(lower, lower.end), 0);
    assert.equal(hipHeight(null, 0), 0);
  });

  test("held still (reduced motion), each step shows the pose it ends in from its start", () => {
    const still = { still: true };
    assert.equal(hipHeight(lift, lift.start, still), 1);
    assert.equal(hipHeight(hold, hold.start, still), 1);
    assert.equal(hipHeight(lower, lower.start, still), 0);
    assert.equal(hipHeight(lower, lower.start + 1500, still), 0);
  });

  test("moves steadily: higher every moment of the lift", () => {
    let previous = -1;
    for (let t = lift.start; t <= lift.end; t += 50) {
      const height = hipHeight(lift, t);
      assert.ok(height >= previous);
      previous = height;
    }
  });
});

describe("sounds", () => {
  test("a tone on every phase change, a distinct one for the leg switch, pips and a chime", () => {
    const steps = buildSchedule(plan({ leadIn: 5, sideRest: 10 }));
    const events = cueEvents(steps);
    const change = steps.find((s) => s.kind === "switch");
    assert.deepEqual(
      events.filter((e) => e.tone === "switch").map((e) => e.at),
      [change.start],
    );
    assert.deepEqual(
      events.filter((e) => e.tone === "pip").map((e) => e.at),
      [2000, 3000, 4000, change.end - 3000, change.end - 2000, change.end - 1000],
    );
    const last = events.at(-1);
    assert.equal(last.tone, "finish");
    assert.equal(last.at, totalMs(steps));
    const starts = steps.filter((s) => s.kind !== "lead-in").map((s) => s.start);
    for (const start of starts) assert.ok(events.some((e) => e.at === start && e.tone !== "pip"));
    assert.deepEqual(
      events.map((e) => e.at),
      [...events.map((e) => e.at)].sort((a, b) => a - b),
    );
  });

  test("no pips fall before a short rest begins", () => {
    const steps = buildSchedule(plan({ leadIn: 2, sideRest: 0 }));
    const pips = cueEvents(steps).filter((e) => e.tone === "pip");
    assert.deepEqual(
      pips.map((e) => e.at),
      [1000],
    );
  });
});

describe("the summary", () => {
  test("counts reps, time under tension and holds per side", () => {
    const p = plan({ sets: 3, reps: 12, lastHold: 10 });
    const summary = summarize(p, buildSchedule(p));
    assert.deepEqual(Object.keys(summary.perSide), ["left", "right"]);
    for (const side of Object.values(summary.perSide)) {
      assert.equal(side.reps, 36);
      assert.equal(side.holds, 36);
      assert.equal(side.holdMs, (33 * 2 + 3 * 10) * 1000);
      assert.equal(side.longestHoldMs, 10_000);
      assert.equal(side.tensionMs, (36 * 6 + 3 * 8) * 1000);
    }
    assert.equal(summary.totalReps, 72);
    assert.equal(summary.tempo, "3-0-1-2");
    assert.equal(summary.sets, 3);
    assert.equal(summary.repsPerSet, 12);
  });

  test("is the same after pauses and skipped rests", () => {
    const p = plan({ sets: 2 });
    const steps = buildSchedule(p);
    const rest = steps.find((s) => s.kind === "rest");
    let changed = resumeAfterPause(steps, 7000, 19_000);
    changed = skipStep(changed, rest.start + 12_000 + 1000);
    assert.deepEqual(summarize(p, changed), summarize(p, steps));
  });

  test("both legs together count on one side", () => {
    const p = plan({ sides: "both", reps: 15, sets: 3 });
    const summary = summarize(p, buildSchedule(p));
    assert.deepEqual(Object.keys(summary.perSide), ["both"]);
    assert.equal(summary.perSide.both.reps, 45);
    assert.equal(summary.totalReps, 45);
  });
});

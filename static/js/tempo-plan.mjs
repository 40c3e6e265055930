// The tempo timer's schedule: pure maths, no DOM, no clock of its own.
//
// A plan (the JSON the server embeds; durations in seconds) becomes one list of
// timed steps with start and end offsets in milliseconds from a single origin.
// The page reads that list against performance.now(), so every phase boundary is
// known before the first rep and a slow frame can never push the next one later.
// Pause, resume and "skip rest" produce a new list with the remaining steps
// shifted; they never add or remove a rep.

export const SIDE_ORDERS = Object.freeze({
  "left-right": ["left", "right"],
  "right-left": ["right", "left"],
  alternating: ["left", "right"],
  both: ["both"],
});

// A rep starts from the bottom: drive up, squeeze at the top, lower, pause.
export const REP_PHASES = Object.freeze(["lift", "hold", "lower", "pause"]);
const PHASE_SECONDS = { lift: "lifting", hold: "topHold", lower: "lowering", pause: "bottomPause" };
const WORKING = new Set(REP_PHASES);
const SKIPPABLE = new Set(["lead-in", "switch", "rest"]);
const COUNTDOWN_PIPS = 3;

export const isWorking = (step) => WORKING.has(step.kind);
export const isSkippable = (step) => Boolean(step) && SKIPPABLE.has(step.kind);

/** The (side, rep) pairs of one set, in the order they are done. */
export function repOrder(plan) {
  const order = SIDE_ORDERS[plan.sides];
  if (!order) throw new RangeError(`Unknown side order: ${plan.sides}`);
  const pairs = [];
  if (plan.sides === "alternating") {
    for (let rep = 1; rep <= plan.reps; rep += 1) {
      for (const side of order) pairs.push({ side, rep });
    }
  } else {
    for (const side of order) {
      for (let rep = 1; rep <= plan.reps; rep += 1) pairs.push({ side, rep });
    }
  }
  return pairs;
}

/**
 * Every timed step of the plan, in order, from offset 0.
 *
 * Steps: lead-in, then per set and per (side, rep) the four rep phases; a
 * "switch" rest whenever the leg changes inside a set, a "rest" between sets.
 * A zero-second phase or rest produces no step. The top hold of the last rep on
 * each side of each set lasts `lastHold` seconds when that is set.
 */
export function buildSchedule(plan) {
  const seconds = (value) => Math.round(Number(value) * 1000);
  const steps = [];
  let t = 0;
  const push = (kind, duration, fields) => {
    if (duration <= 0) return null;
    const step = { index: steps.length, kind, start: t, end: t + duration, ...fields };
    steps.push(step);
    t += duration;
    return step;
  };
  const pairs = repOrder(plan);
  const first = pairs[0];
  push("lead-in", seconds(plan.leadIn), { set: 1, rep: 1, side: first.side });

  let previousSide = null;
  for (let set = 1; set <= plan.sets; set += 1) {
    if (set > 1) push("rest", seconds(plan.setRest), { set, rep: 1, side: first.side });
    pairs.forEach(({ side, rep }, position) => {
      // The leg changes inside a set: a rest to change legs, or, with none, the
      // next drive itself is the switch moment.
      let sideChange = previousSide !== null && side !== previousSide;
      if (position > 0 && side !== pairs[position - 1].side) {
        if (push("switch", seconds(plan.sideRest), { set, rep, side, sideChange: true })) {
          sideChange = false;
        }
      } else if (position === 0 && set > 1 && seconds(plan.setRest) > 0) {
        sideChange = false; // the rest between sets already announced the next leg
      }
      const last = rep === plan.reps;
      for (const kind of REP_PHASES) {
        let duration = seconds(plan.tempo[PHASE_SECONDS[kind]]);
        const long = kind === "hold" && last && Number(plan.lastHold) > 0;
        if (long) duration = seconds(plan.lastHold);
        const step = push(kind, duration, { set, rep, side, sideChange, long });
        if (step) sideChange = false;
      }
      previousSide = side;
    });
  }
  return steps;
}

export const totalMs = (steps) => (steps.length ? steps[steps.length - 1].end : 0);

/** Shift a whole schedule by `by` ms, e.g. from offset 0 to performance.now() at start. */
export const shift = (steps, by) =>
  steps.map((step) => ({ ...step, start: step.start + by, end: step.end + by }));

/**
 * Where `t` falls: the index of the step with start <= t < end; -1 before the
 * first step, steps.length once the last has ended.
 */
export function indexAt(steps, t) {
  if (!steps.length || t >= steps[steps.length - 1].end) return steps.length;
  if (t < steps[0].start) return -1;
  let low = 0;
  let high = steps.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (steps[middle].start <= t) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function stepAt(steps, t) {
  const index = indexAt(steps, t);
  return index >= 0 && index < steps.length ? steps[index] : null;
}

/** How far through its step `t` is, from 0 to 1. */
export function progress(step, t) {
  if (!step) return 0;
  const duration = step.end - step.start;
  return duration > 0 ? Math.min(1, Math.max(0, (t - step.start) / duration)) : 1;
}

/**
 * The schedule after a pause from `pausedAt` to `resumedAt`: every step not yet
 * over moves later by the pause, the current one whole, so it resumes exactly as
 * far through as it was. Finished steps and all counts stay as they were.
 */
export function resumeAfterPause(steps, pausedAt, resumedAt) {
  const by = Math.max(0, resumedAt - pausedAt);
  return steps.map((step) =>
    step.end > pausedAt ? { ...step, start: step.start + by, end: step.end + by } : step,
  );
}

/**
 * The schedule with the lead-in, rest or leg switch under way at `t` cut short:
 * it ends at `t` and everything after moves earlier. Any other step is left alone.
 */
export function skipStep(steps, t) {
  const index = indexAt(steps, t);
  const current = steps[index];
  if (!isSkippable(current)) return steps;
  const by = current.end - t;
  return steps.map((step, i) => {
    if (i < index) return step;
    if (i === index) return { ...step, end: t };
    return { ...step, start: step.start - by, end: step.end - by };
  });
}

/**
 * 0 at the bottom, 1 at the top: how high the hips are at `t`, for the figure. `still`
 * (reduced motion) gives the pose the step ends in from its first moment: the figure jumps
 * once a step instead of moving, and still shows the top while the text says "Hold".
 */
export function hipHeight(step, t, { still = false } = {}) {
  if (!step) return 0;
  const eased = still ? 1 : easeInOut(progress(step, t));
  if (step.kind === "lift") return eased;
  if (step.kind === "hold") return 1;
  if (step.kind === "lower") return 1 - eased;
  return 0;
}

const easeInOut = (p) => (p < 0.5 ? 2 * p * p : 1 - 2 * (1 - p) * (1 - p));

/**
 * The sounds of a schedule: one tone at the start of every step (a distinct one
 * when the leg changes), three countdown pips before the end of each lead-in,
 * rest and leg switch, and a finish chime. Times are on the schedule's clock.
 */
export function cueEvents(steps) {
  const events = [];
  for (const step of steps) {
    const tone = step.sideChange ? "switch" : step.kind;
    if (step.kind !== "lead-in") events.push({ at: step.start, tone, index: step.index });
    if (isSkippable(step)) {
      for (let pip = COUNTDOWN_PIPS; pip >= 1; pip -= 1) {
        const at = step.end - pip * 1000;
        if (at > step.start) events.push({ at, tone: "pip", index: step.index, pip });
      }
    }
  }
  if (steps.length) {
    const last = steps[steps.length - 1];
    events.push({ at: last.end, tone: "finish", index: steps.length });
  }
  return events.sort((a, b) => a.at - b.at);
}

/**
 * What was done, from the durations of the working steps (pauses and skipped
 * rests change neither): per side the reps, time under tension and holds.
 */
export function summarize(plan, steps) {
  const sides = {};
  for (const side of SIDE_ORDERS[plan.sides]) {
    sides[side] = { reps: 0, tensionMs: 0, holds: 0, holdMs: 0, longestHoldMs: 0 };
  }
  const repsSeen = new Set();
  for (const step of steps) {
    if (!isWorking(step)) continue;
    const side = sides[step.side];
    const duration = step.end - step.start;
    side.tensionMs += duration;
    const key = `${step.set}:${step.side}:${step.rep}`;
    if (!repsSeen.has(key)) {
      repsSeen.add(key);
      side.reps += 1;
    }
    if (step.kind === "hold") {
      side.holds += 1;
      side.holdMs += duration;
      side.longestHoldMs = Math.max(side.longestHoldMs, duration);
    }
  }
  return {
    tempo: plan.tempo.notation,
    sets: plan.sets,
    repsPerSet: plan.reps,
    sides: plan.sides,
    topHoldSeconds: plan.tempo.topHold,
    lastHoldSeconds: plan.lastHold,
    perSide: sides,
    totalReps: Object.values(sides).reduce((sum, side) => sum + side.reps, 0),
    tensionMs: Object.values(sides).reduce((sum, side) => sum + side.tensionMs, 0),
    plannedMs: totalMs(buildSchedule(plan)),
  };
}

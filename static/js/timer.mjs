// The tempo timer page: progressive enhancement over the plan the server rendered.
//
// Timing: one schedule (tempo-plan.mjs) is laid on performance.now() at start.
// Each animation frame reads the clock against it, and a timeout aimed at the
// next boundary (recomputed from the schedule every time, never chained from the
// last delay) flips the display on the instant between frames. Tones are placed
// ahead on the Web Audio clock, mapped from the same schedule; a missing or
// suspended AudioContext only means silence, never a stopped count.
//
// htmx swaps pages without reloading this module, so setup is idempotent and
// also runs on htmx:load; a timer whose root leaves the page stops itself.

import {
  buildSchedule,
  cueEvents,
  hipHeight,
  indexAt,
  isSkippable,
  progress,
  resumeAfterPause,
  shift,
  skipStep,
  summarize,
  totalMs,
} from "./tempo-plan.mjs";
import { pointsThrough, poseAt } from "./figure-pose.mjs";
import { LockScreen } from "./lock-screen.mjs";

const ROOT = "[data-timer]";
// Each step's word. The bottom pause is not "Pause": that is the button's name, and a screen
// reader heard "Pause." for the phase against "Paused." for the button.
const LABELS = {
  "lead-in": "Get ready",
  lift: "Lift",
  hold: "Hold",
  lower: "Lower",
  pause: "Bottom pause",
  switch: "Switch legs",
  rest: "Rest",
};
const SIDES = { left: "Left", right: "Right", both: "Both" };
// A step's word on the display, in the live region and in the spoken cues.
const labelOf = (step) => (step.long ? "Long hold" : LABELS[step.kind]);
// "Left leg", "Both legs": the legs a step is on.
const legsOf = (side) => `${SIDES[side]} leg${side === "both" ? "s" : ""}`;
// A both-legs rung has no leg that goes first.
const legsFirst = (side) => (side === "both" ? "both legs together" : `${side} leg first`);
const AUDIO_LOOKAHEAD_MS = 3000;
// A hidden page's timers may run once a minute (Chrome's intensive throttling): while
// hidden, tones are placed on the audio clock this far ahead.
const HIDDEN_LOOKAHEAD_MS = 65000;
const AUDIO_PUMP_MS = 250;
const RING_LENGTH = 2 * Math.PI * 54;
const PREFS_KEY = "hipthrust:timer-prefs";

const timers = new WeakMap();
let active = null;

// Sound: short oscillator tones, each kind its own shape, scheduled on the
// audio clock. [start Hz, end Hz, seconds, wave, delay s] per note.
const TONES = {
  lift: [[660, 990, 0.14, "sine", 0]],
  hold: [[784, 784, 0.18, "triangle", 0]],
  lower: [[660, 440, 0.2, "sine", 0]],
  pause: [[523, 523, 0.08, "sine", 0]],
  rest: [[392, 392, 0.3, "triangle", 0]],
  switch: [
    [988, 988, 0.1, "square", 0],
    [1319, 1319, 0.14, "square", 0.14],
  ],
  pip: [[1047, 1047, 0.05, "sine", 0]],
  finish: [
    [523, 523, 0.16, "triangle", 0],
    [659, 659, 0.16, "triangle", 0.16],
    [784, 784, 0.3, "triangle", 0.32],
  ],
};

class Tones {
  constructor() {
    this.context = null;
    this.nodes = [];
    this.done = new Set();
  }

  // Must run inside a click or key press: browsers only start audio for a gesture.
  unlock() {
    try {
      const AudioContextClass = window.AudioContext || window.webkitAudioContext;
      if (!AudioContextClass) return;
      this.context ??= new AudioContextClass();
      if (this.context.state === "suspended") this.context.resume().catch(() => {});
    } catch {
      this.context = null;
    }
  }

  get running() {
    return this.context?.state === "running";
  }

  /** Place every event due in the next few seconds on the audio clock, once each. */
  schedule(events, now) {
    if (!this.running) return;
    const audioNow = this.context.currentTime;
    const ahead = document.visibilityState === "hidden" ? HIDDEN_LOOKAHEAD_MS : AUDIO_LOOKAHEAD_MS;
    for (const event of events) {
      if (event.at > now + ahead) break;
      const key = `${event.index}:${event.tone}:${event.pip ?? ""}`;
      if (event.at < now - 50 || this.done.has(key)) continue;
      this.done.add(key);
      this.play(event.tone, audioNow + Math.max(0, event.at - now) / 1000);
    }
  }

  play(tone, when) {
    const context = this.context;
    for (const [from, to, seconds, wave, delay] of TONES[tone] ?? []) {
      const start = when + delay;
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = wave;
      oscillator.frequency.setValueAtTime(from, start);
      if (to !== from) oscillator.frequency.linearRampToValueAtTime(to, start + seconds);
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.linearRampToValueAtTime(wave === "square" ? 0.12 : 0.3, start + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + seconds);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + seconds + 0.02);
      oscillator.addEventListener("ended", () => {
        this.nodes = this.nodes.filter((node) => node !== oscillator);
      });
      this.nodes.push(oscillator);
    }
  }

  /** Forget what was placed: after a pause, a skip or a reset the times are wrong. */
  cancel() {
    for (const node of this.nodes) {
      try {
        node.stop();
      } catch {
        // already stopped
      }
    }
    this.nodes = [];
    this.done.clear();
  }

  close() {
    this.cancel();
    this.context?.close().catch(() => {});
    this.context = null;
  }
}

// The Screen Wake Lock API: the screen stays on while the timer counts.
class KeepScreenOn {
  constructor() {
    this.sentinel = null;
    this.wanted = false;
  }

  async acquire() {
    this.wanted = true;
    if (this.sentinel || !navigator.wakeLock || document.visibilityState !== "visible") return;
    try {
      this.sentinel = await navigator.wakeLock.request("screen");
      this.sentinel.addEventListener("release", () => {
        this.sentinel = null;
      });
    } catch {
      this.sentinel = null; // refused (battery saver, no permission): the count goes on
    }
  }

  release() {
    this.wanted = false;
    this.sentinel?.release().catch(() => {});
    this.sentinel = null;
  }

  // The browser drops the lock whenever the page is hidden; take it back on return.
  reacquire() {
    if (this.wanted) this.acquire();
  }
}

function readPrefs() {
  try {
    return { sound: true, speech: false, ...JSON.parse(localStorage.getItem(PREFS_KEY) || "{}") };
  } catch {
    return { sound: true, speech: false };
  }
}

function writePrefs(prefs) {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // private mode: the choice lasts for this page only
  }
}

const clock = (ms) => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
};

const duration = (ms) => {
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  if (!minutes) return `${seconds} s`;
  return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
};

class Timer {
  constructor(root) {
    this.root = root;
    this.plan = JSON.parse(document.getElementById(root.dataset.plan).textContent);
    this.el = {};
    for (const node of root.querySelectorAll("[data-timer-part]")) {
      this.el[node.dataset.timerPart] = node;
    }
    this.buttons = {};
    for (const button of root.querySelectorAll("[data-action]")) {
      this.buttons[button.dataset.action] = button;
    }
    this.limbs = [...root.querySelectorAll("[data-joints]")].map((node) => ({
      node,
      joints: node.dataset.joints.split(" "),
    }));
    // Discs on a joint: the head, and a weight resting on the hips.
    this.discs = [...root.querySelectorAll("[data-centre]")].map((node) => ({
      node,
      joint: node.dataset.centre,
    }));
    this.mirror = root.querySelector("[data-mirror]");
    // While the console sticks, the page keeps its height clear at the top (timer.css), so a
    // control the focus moves to comes into view below it: measured, since text size moves it.
    const panel = root.querySelector(".timer__console");
    this.panelSize = new ResizeObserver(([entry]) => {
      const height = Math.ceil(entry.borderBoxSize[0].blockSize);
      document.documentElement.style.setProperty("--timer-console-height", `${height}px`);
    });
    if (panel) this.panelSize.observe(panel);
    this.tones = new Tones();
    this.keepScreenOn = new KeepScreenOn();
    this.lockScreen = new LockScreen({
      play: () => this.state !== "running" && this.toggle(),
      pause: () => this.state === "running" && this.toggle(),
    });
    this.prefs = readPrefs();
    this.motion = window.matchMedia("(prefers-reduced-motion: reduce)");
    this.state = "idle";
    this.steps = [];
    this.events = [];
    this.frame = 0;
    this.boundary = 0;
    this.pump = 0;
    this.shown = null;
    this.lastPose = -1;

    this.onClick = (event) => {
      const button = event.target.closest("button");
      if (!button || !root.contains(button)) return;
      if (button.dataset.action) this.act(button.dataset.action);
      if (button.dataset.option) this.toggleOption(button.dataset.option);
    };
    root.addEventListener("click", this.onClick);
    this.showOptions();
    this.idle();
    root.hidden = false;
    root.dataset.ready = "";
  }

  act(action) {
    const now = performance.now();
    if (action === "toggle") this.toggle();
    else if (action === "skip") this.skip(now);
    else if (action === "reset") this.reset();
  }

  toggle() {
    const now = performance.now();
    if (this.state === "running") this.pause(now);
    else if (this.state === "paused") this.resume();
    else this.start();
  }

  start() {
    // Audio first: creating an AudioContext can block for a good fraction of a
    // second, and the schedule must start after that, not before it.
    this.tones.unlock();
    const now = performance.now();
    this.steps = shift(buildSchedule(this.plan), now);
    this.startedAt = now;
    this.pausedMs = 0;
    this.el.summary.hidden = true;
    this.setState("running");
    this.keepScreenOn.acquire();
    this.rescheduled(now);
    this.render(now); // the press itself changes the display, not the next frame
    this.tick();
  }

  pause(now) {
    this.pausedAt = now;
    this.stopLoop();
    this.tones.cancel();
    window.speechSynthesis?.cancel();
    this.setState("paused");
    this.announce("Paused.");
  }

  resume() {
    this.tones.unlock();
    const now = performance.now();
    this.steps = resumeAfterPause(this.steps, this.pausedAt, now);
    this.pausedMs += now - this.pausedAt;
    this.setState("running");
    this.rescheduled(now);
    this.render(now);
    this.tick();
    this.announce(`Going again. ${this.toldWhere(now)}`);
    this.speak("Go");
  }

  skip(now) {
    if (this.state !== "running") return;
    const next = skipStep(this.steps, now);
    if (next === this.steps) return;
    this.steps = next;
    this.tones.cancel();
    this.rescheduled(now);
    this.render(now);
  }

  reset() {
    this.stopLoop();
    this.tones.cancel();
    this.keepScreenOn.release();
    window.speechSynthesis?.cancel();
    this.steps = [];
    this.lastTold = null;
    this.el.summary.hidden = true;
    this.idle();
    this.buttons.toggle.focus();
    this.announce("Reset. Start runs the plan from the beginning.");
  }

  // The schedule changed: tell listeners (the drift benchmark) and re-place the tones.
  rescheduled(now) {
    this.events = cueEvents(this.steps);
    this.root.dispatchEvent(
      new CustomEvent("timer:schedule", { detail: { steps: this.steps, at: now } }),
    );
    clearInterval(this.pump);
    // Tones are placed ahead by this pump as well as each frame, so they keep coming
    // while frames stop (a hidden tab) for as long as the browser runs timers.
    this.pump = setInterval(() => {
      if (!this.root.isConnected) return this.destroy();
      if (this.prefs.sound) this.tones.schedule(this.events, performance.now());
    }, AUDIO_PUMP_MS);
    if (this.prefs.sound) this.tones.schedule(this.events, now);
  }

  tick() {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      if (!this.root.isConnected) return this.destroy();
      if (this.state !== "running") return;
      this.render(performance.now());
      if (this.state === "running") this.tick();
    });
  }

  stopLoop() {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.boundary);
    clearInterval(this.pump);
  }

  render(now) {
    const index = indexAt(this.steps, now);
    if (index >= this.steps.length) return this.finish(now);
    const step = this.steps[Math.max(0, index)];
    if (this.shown?.index !== step.index || this.shown !== step) this.change(step);
    const left = step.end - now;
    this.el.ring.setAttribute("stroke-dashoffset", (RING_LENGTH * progress(step, now)).toFixed(2));
    this.setText("seconds", String(Math.max(1, Math.ceil(left / 1000))));
    this.setText("remaining", `${clock(totalMs(this.steps) - now)} left`);
    this.pose(hipHeight(step, now, { still: this.motion.matches }), step.side, step.kind);
    if (this.prefs.sound) this.tones.schedule(this.events, now);
    // Flip the display on the boundary itself rather than at the next frame.
    clearTimeout(this.boundary);
    this.boundary = setTimeout(
      () => this.state === "running" && this.render(performance.now()),
      Math.max(0, Math.ceil(step.end - performance.now())),
    );
  }

  change(step) {
    const first = this.shown === null || this.shown.index !== step.index;
    this.shown = step;
    if (!first) return; // the same step, moved by a pause or a skip
    const { plan } = this;
    const working = !isSkippable(step);
    const label = labelOf(step);
    this.root.dataset.kind = step.kind;
    this.el.phase.dataset.step = String(step.index);
    this.setText("phase", label);
    this.setText("set", `${step.set} of ${plan.sets}`);
    this.setText("rep", `${step.rep} of ${plan.reps}`);
    this.setText("side", SIDES[step.side]);
    const switching = step.kind === "switch" || step.sideChange;
    this.el.switch.hidden = !switching;
    if (switching) this.setText("switch-side", `${SIDES[step.side]} leg now`);
    this.setText("breath", plan.breathing[step.kind] ?? "");
    this.setText("cue", this.cueFor(step));
    this.showSkip(isSkippable(step));
    this.buttons.skip.textContent = step.kind === "lead-in" ? "Skip countdown" : "Skip rest";
    // During a countdown or a rest no leg is working yet: say which one comes next.
    this.el.caption.textContent = `${this.legsAt(step)} ${working ? "working" : "next"}`;
    this.announce(this.told(step, label, working));
    this.lockScreen.show(
      `${label}: ${this.legsAt(step).toLowerCase()}`,
      `Set ${step.set} of ${plan.sets}, rep ${step.rep} of ${plan.reps}`,
    );
    this.speak(this.spoken(step, label));
  }

  // What a screen reader is told: the rep, the leg and the set in full when one of them
  // changes, else the phase's word alone. A sentence each phase (every second at the
  // default tempo) fell behind the count, a polite region being read out in turn.
  told(step, label, working) {
    const legs = this.legsAt(step).toLowerCase();
    const previous = this.lastTold;
    this.lastTold = working ? step : null;
    if (step.kind === "switch") return `Switch legs: ${legs} next.`;
    if (!working) return `${label}. Next: set ${step.set} of ${this.plan.sets}, ${legsFirst(step.side)}.`;
    const same =
      previous &&
      ["set", "rep", "side"].every((key) => previous[key] === step[key]) &&
      this.legsAt(previous) === this.legsAt(step);
    return same ? `${label}.` : `${label}, rep ${step.rep} of ${this.plan.reps}, ${legs}.`;
  }

  // What the spoken cues say: few words, as a coach counts, with the leg when it changes.
  spoken(step, label) {
    const legs = legsOf(step.side).toLowerCase();
    if (step.kind === "lead-in") return `${label}: ${legsFirst(step.side)}`;
    if (step.kind === "switch") return `Switch legs: ${legs}`;
    // The next set's first leg is said here: its first lift names none.
    if (step.kind === "rest") {
      return `Rest, ${Math.round((step.end - step.start) / 1000)} seconds, then ${legsFirst(step.side)}`;
    }
    if (step.kind === "lift") return step.sideChange ? `${legs}: lift ${step.rep}` : `Lift ${step.rep}`;
    return label;
  }

  // After a pause the count goes on where it stood: say where, as the start of a phase would.
  toldWhere(now) {
    const step = this.steps[Math.max(0, indexAt(this.steps, now))];
    if (!step) return "";
    this.lastTold = null;
    return this.told(step, labelOf(step), !isSkippable(step));
  }

  // The legs a step is on: the plan's leg, or both where the rung does that step on both
  // feet (two up, one down drives up on both and lowers on one).
  legsAt(step) {
    return this.plan.bothFeet?.includes(step.kind) ? legsOf("both") : legsOf(step.side);
  }

  cueFor(step) {
    const cues = this.plan.cues[step.kind];
    // The rung's own cue is said every rep; the guide's take turns after it.
    const own = this.plan.rungCues?.[step.kind];
    const turn = cues?.length ? cues[(step.rep - 1) % cues.length] : "";
    if (own) return turn ? `${own}; ${turn[0].toLowerCase()}${turn.slice(1)}` : own;
    if (turn) return turn;
    const side = SIDES[step.side].toLowerCase();
    if (step.kind === "lead-in") return `Start with the ${legsOf(step.side).toLowerCase()}.`;
    if (step.kind === "rest") return `Next: set ${step.set} of ${this.plan.sets}, ${legsFirst(step.side)}.`;
    if (step.kind === "switch") return `Set up on the ${side} leg.`;
    return "";
  }

  finish(now) {
    this.stopLoop();
    this.keepScreenOn.release();
    this.setState("finished");
    const summary = {
      ...summarize(this.plan, this.steps),
      variation: this.plan.variation,
      elapsedMs: Math.round(now - this.startedAt),
      pausedMs: Math.round(this.pausedMs),
    };
    this.shown = null;
    this.root.dataset.kind = "done";
    this.setText("phase", "Done");
    this.setText("seconds", "✓");
    this.setText("remaining", `Finished in ${duration(summary.elapsedMs)}`);
    this.el.ring.setAttribute("stroke-dashoffset", "0");
    this.el.switch.hidden = true;
    this.setText("breath", "");
    this.setText("cue", "All sets done.");
    this.el.caption.textContent = "Finished";
    this.lockScreen.show("Done", "All sets done");
    this.showSummary(summary);
    this.announce("Done. The summary is below the controls.");
    this.speak("Done");
    this.root.dispatchEvent(new CustomEvent("timer:finished", { detail: summary, bubbles: true }));
  }

  showSummary(summary) {
    const rows = this.el["summary-rows"];
    rows.replaceChildren();
    for (const [side, numbers] of Object.entries(summary.perSide)) {
      const row = document.createElement("tr");
      const cells = [
        SIDES[side],
        String(numbers.reps),
        duration(numbers.tensionMs),
        numbers.holds ? `${numbers.holds} (${duration(numbers.holdMs)})` : "none",
      ];
      cells.forEach((text, column) => {
        const cell = document.createElement(column ? "td" : "th");
        if (!column) cell.scope = "row";
        cell.textContent = text;
        row.append(cell);
      });
      rows.append(row);
    }
    const sets = `${summary.sets} set${summary.sets === 1 ? "" : "s"}`;
    const reps = `${summary.repsPerSet} rep${summary.repsPerSet === 1 ? "" : "s"}`;
    const per = summary.sides === "both" ? "" : " per leg";
    const paused = summary.pausedMs >= 1000 ? `, with ${duration(summary.pausedMs)} paused` : "";
    const tempo = document.createElement("span");
    tempo.className = "nowrap"; // a tempo split at a dash reads as two numbers
    tempo.textContent = summary.tempo;
    this.el["summary-line"].replaceChildren(
      `${sets} of ${reps}${per} at `,
      tempo,
      `, done in ${duration(summary.elapsedMs)}${paused}.`,
    );
    this.el.summary.hidden = false;
    this.el["summary-title"].focus({ preventScroll: true });
    this.el.summary.scrollIntoView?.({ block: "nearest" });
  }

  idle() {
    const first = buildSchedule(this.plan)[0];
    this.setState("idle");
    this.shown = null;
    this.root.dataset.kind = "idle";
    delete this.el.phase.dataset.step;
    this.setText("phase", "Ready");
    this.setText("seconds", String(this.plan.leadIn || "Go"));
    this.setText("set", `1 of ${this.plan.sets}`);
    this.setText("rep", `1 of ${this.plan.reps}`);
    this.setText("side", SIDES[first.side]);
    this.setText("remaining", `${clock(totalMs(buildSchedule(this.plan)))} in all`);
    this.setText("breath", "");
    this.setText("cue", "Press Start, or the space bar, then get into position.");
    this.el.switch.hidden = true;
    this.el.ring.setAttribute("stroke-dashoffset", RING_LENGTH.toFixed(2));
    const caption = legsFirst(first.side);
    this.el.caption.textContent = caption[0].toUpperCase() + caption.slice(1);
    this.lastPose = -1;
    this.pose(0, first.side, "lift", true);
  }

  setState(state) {
    this.state = state;
    this.root.dataset.state = state;
    const { toggle, reset } = this.buttons;
    toggle.textContent = {
      idle: "Start",
      running: "Pause",
      paused: "Resume",
      finished: "Start again",
    }[state];
    toggle.setAttribute("aria-keyshortcuts", "Space");
    reset.disabled = state === "idle";
    if (state !== "running") this.showSkip(false);
    if (state === "running" || state === "paused") active = this;
    this.lockScreen?.state(state);
  }

  // Skip is there only while there is a rest or a countdown to skip, not as a dead button
  // during reps; a keyboard user's focus on it moves to Pause when it goes.
  showSkip(shown) {
    const { skip, toggle } = this.buttons;
    if (!shown && document.activeElement === skip) toggle.focus();
    skip.hidden = !shown;
    skip.disabled = !shown;
  }

  // The figure: hips from 0 (bottom) to 1 (top), through the middle frame. As drawn, the
  // body lies face up with its head on the viewer's left, so it shows its right side: the
  // leg in front, the working one, is the right leg. The left leg works turned round.
  pose(height, side, kind, force = false) {
    const mirrored = side === "left";
    if (mirrored !== this.mirrored || force) {
      this.mirrored = mirrored;
      if (mirrored) this.mirror.setAttribute("transform", this.mirror.dataset.mirror);
      else this.mirror.removeAttribute("transform");
    }
    if (Math.abs(height - this.lastPose) < 0.002 && kind === this.lastKind && !force) return;
    this.lastPose = height;
    this.lastKind = kind;
    const at = poseAt(this.plan.figure, height, kind);
    for (const { node, joints } of this.limbs) node.setAttribute("points", pointsThrough(at, joints));
    for (const { node, joint } of this.discs) {
      const [x, y] = at[joint];
      node.setAttribute("cx", x.toFixed(1));
      node.setAttribute("cy", y.toFixed(1));
    }
  }

  setText(part, text) {
    const node = this.el[part];
    if (node && node.textContent !== text) node.textContent = text;
  }

  announce(text) {
    this.el.announce.textContent = text;
  }

  speak(text) {
    if (!this.prefs.speech || !window.speechSynthesis || !text) return;
    try {
      window.speechSynthesis.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.rate = 1.15;
      window.speechSynthesis.speak(utterance);
    } catch {
      // no voices: the tones and the screen still count
    }
  }

  toggleOption(option) {
    this.prefs[option] = !this.prefs[option];
    writePrefs(this.prefs);
    this.showOptions();
    if (option === "sound") {
      if (this.prefs.sound) {
        this.tones.unlock();
        if (this.state === "running") this.tones.schedule(this.events, performance.now());
      } else {
        this.tones.cancel();
      }
    }
    if (option === "speech" && !this.prefs.speech) window.speechSynthesis?.cancel();
  }

  showOptions() {
    for (const button of this.root.querySelectorAll("[data-option]")) {
      button.setAttribute("aria-pressed", String(Boolean(this.prefs[button.dataset.option])));
    }
    const speech = this.root.querySelector('[data-option="speech"]');
    if (speech && !window.speechSynthesis) speech.hidden = true;
  }

  destroy() {
    this.stopLoop();
    this.panelSize.disconnect();
    this.tones.close();
    this.keepScreenOn.release();
    window.speechSynthesis?.cancel();
    this.root.removeEventListener("click", this.onClick);
    this.lockScreen.clear();
    if (active === this) active = null;
    this.state = "gone";
  }
}

export function setUp(scope = document) {
  const roots = [];
  if (scope instanceof Element && scope.matches(ROOT)) roots.push(scope);
  if (scope.querySelectorAll) roots.push(...scope.querySelectorAll(ROOT));
  for (const root of roots) {
    if (timers.has(root)) continue;
    try {
      const timer = new Timer(root);
      timers.set(root, timer);
      active = timer;
    } catch (error) {
      // Leave the server-rendered plan readable; say why the timer did not start.
      root.hidden = true;
      console.error("The tempo timer could not start:", error);
    }
  }
}

function isTyping(target) {
  return (
    target instanceof Element &&
    Boolean(target.closest("button, a, input, select, textarea, summary, [contenteditable]"))
  );
}

// Module-level listeners: this module runs once per document, however often
// htmx brings the page back.
document.addEventListener("keydown", (event) => {
  if (event.code !== "Space" || event.repeat || event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  if (!active?.root.isConnected || active.root.hidden || isTyping(event.target)) return;
  event.preventDefault(); // no page scroll
  active.tones.unlock();
  active.toggle();
});

document.addEventListener("visibilitychange", () => {
  if (!active?.root.isConnected) return;
  if (document.visibilityState === "hidden") {
    if (active.state === "running" && active.prefs.sound) {
      active.tones.schedule(active.events, performance.now()); // the long look-ahead
    }
    return;
  }
  active.keepScreenOn.reacquire();
  if (active.state === "running") active.render(performance.now());
});

// afterSwap comes as soon as the new page is in; htmx:load only after the settle
// delay. Either may come first; setUp ignores a root it already knows.
document.addEventListener("htmx:afterSwap", (event) => setUp(event.target));
document.addEventListener("htmx:load", (event) => setUp(event.target));
setUp(document);

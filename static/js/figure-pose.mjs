// The timer's moving figure between its keyframes, apart from the DOM: every joint the
// server sent (the equipment carried on the body is named as joints too) at a hip height
// from 0 (bottom) to 1 (top), through the middle frame at `midAt`. y is flipped for SVG.

// A figure whose way down differs from its way up (two up, one down) sends the top and
// middle frames of its hold and lowering apart ("lowering"); the bottom is shared.
const LOWERING_STEPS = new Set(["hold", "lower"]);

export function poseAt(figure, height, step = "lift") {
  const { midAt } = figure;
  const frames =
    figure.lowering && LOWERING_STEPS.has(step) ? { ...figure.frames, ...figure.lowering } : figure.frames;
  const [from, to, t] =
    height <= midAt
      ? [frames.bottom, frames["mid-drive"], midAt ? height / midAt : 1]
      : [frames["mid-drive"], frames.top, (height - midAt) / (1 - midAt)];
  const pose = {};
  for (const [joint, [x0, y0]] of Object.entries(from)) {
    const [x1, y1] = to[joint];
    pose[joint] = [x0 + (x1 - x0) * t, -(y0 + (y1 - y0) * t)];
  }
  return pose;
}

/** A polyline's `points` through the named joints of a pose. */
export const pointsThrough = (pose, joints) =>
  joints.map((joint) => pose[joint].map((n) => n.toFixed(1)).join(",")).join(" ");

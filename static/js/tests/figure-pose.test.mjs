// The timer figure's motion, apart from the DOM: `node --test static/js/tests/`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { pointsThrough, poseAt } from "../figure-pose.mjs";

// Three keyframes as the server sends them: body joints and the equipment on the body.
const FIGURE = {
  midAt: 0.5,
  frames: {
    bottom: { hip: [40, 20], knee: [80, 52], load_centre: [45, 38], band_1: [70, 40] },
    "mid-drive": { hip: [40, 36], knee: [80, 52], load_centre: [44, 55], band_1: [72, 46] },
    top: { hip: [38, 52], knee: [80, 52], load_centre: [38, 71], band_1: [74, 48] },
  },
};

describe("poseAt", () => {
  test("it gives every joint of the keyframes, the equipment included, y flipped", () => {
    const pose = poseAt(FIGURE, 0);
    assert.deepEqual(Object.keys(pose).sort(), ["band_1", "hip", "knee", "load_centre"]);
    assert.deepEqual(pose.load_centre, [45, -38]);
    assert.deepEqual(poseAt(FIGURE, 1).band_1, [74, -48]);
    assert.deepEqual(poseAt(FIGURE, 0.5).load_centre, [44, -55]);
  });

  test("the weight and the band move with the hips between the frames", () => {
    const low = poseAt(FIGURE, 0.25);
    const high = poseAt(FIGURE, 0.75);
    assert.deepEqual(low.load_centre, [44.5, -46.5]);
    assert.deepEqual(high.load_centre, [41, -63]);
    assert.deepEqual(low.band_1, [71, -43]);
  });
});

describe("poseAt with a lowering of its own (two up, one down)", () => {
  const TWO_UP = {
    ...FIGURE,
    lowering: {
      "mid-drive": { ...FIGURE.frames["mid-drive"], free_ankle: [60, 70] },
      top: { ...FIGURE.frames.top, free_ankle: [60, 90] },
    },
  };
  TWO_UP.frames = Object.fromEntries(
    Object.entries(FIGURE.frames).map(([name, frame]) => [name, { ...frame, free_ankle: [80, 8] }]),
  );

  test("the drive is on both feet, the hold and the lowering on one", () => {
    assert.deepEqual(poseAt(TWO_UP, 1, "lift").free_ankle, [80, -8]);
    assert.deepEqual(poseAt(TWO_UP, 1, "hold").free_ankle, [60, -90]);
    assert.deepEqual(poseAt(TWO_UP, 0.5, "lower").free_ankle, [60, -70]);
    // Both feet back down at the bottom, the hips where the drive had them.
    assert.deepEqual(poseAt(TWO_UP, 0, "lower").free_ankle, [80, -8]);
    assert.deepEqual(poseAt(TWO_UP, 0.75, "lower").hip, poseAt(TWO_UP, 0.75, "lift").hip);
  });

  test("a figure without one moves the same way up and down", () => {
    assert.deepEqual(poseAt(FIGURE, 0.75, "lower"), poseAt(FIGURE, 0.75, "lift"));
  });
});

describe("pointsThrough", () => {
  test("a closed loop repeats its first joint, to one decimal", () => {
    const pose = { band_1: [1.26, -2], band_2: [3, -4.04] };
    assert.equal(pointsThrough(pose, ["band_1", "band_2", "band_1"]), "1.3,-2.0 3.0,-4.0 1.3,-2.0");
  });
});

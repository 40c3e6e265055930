// The skeleton's arithmetic, apart from the DOM: `node --test static/js/tests/`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { nearestFrame, pictureBox } from "../video-analysis-frames.mjs";

// Rows as the analysis stores them: the time, then the joints (here one, or none seen).
const FRAMES = [[0.0, 0.1, 0.2], [0.1, 0.1, 0.2], [0.2], [0.5, 0.3, 0.4], [0.6, 0.3, 0.4]];

describe("nearestFrame", () => {
  test("it picks the row nearest the moment, before or after it", () => {
    assert.equal(nearestFrame(FRAMES, 0.0), 0);
    assert.equal(nearestFrame(FRAMES, 0.04), 0);
    assert.equal(nearestFrame(FRAMES, 0.06), 1);
    assert.equal(nearestFrame(FRAMES, 0.36), 3);
    assert.equal(nearestFrame(FRAMES, 0.6), 4);
  });

  test("a row with no one found is still the nearest: nothing is drawn then", () => {
    assert.equal(nearestFrame(FRAMES, 0.21), 2);
  });

  test("no row within a fifth of a second, or no rows at all, is none", () => {
    assert.equal(nearestFrame(FRAMES, 0.85), -1);
    assert.equal(nearestFrame(FRAMES, -0.3), -1);
    assert.equal(nearestFrame([], 1), -1);
  });
});

describe("pictureBox", () => {
  test("a wide picture in a taller box has bars above and below", () => {
    assert.deepEqual(pictureBox(640, 480, 1280, 720), { x: 0, y: 60, width: 640, height: 360 });
  });

  test("a portrait picture in a wide box has bars at the sides", () => {
    assert.deepEqual(pictureBox(800, 450, 1080, 1920), {
      x: (800 - 450 * (1080 / 1920)) / 2,
      y: 0,
      width: 450 * (1080 / 1920),
      height: 450,
    });
  });

  test("before the video's size is known, the whole box", () => {
    assert.deepEqual(pictureBox(320, 180, 0, 0), { x: 0, y: 0, width: 320, height: 180 });
  });
});

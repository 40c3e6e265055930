// The athlete's skeleton over the video, in step with playback, from the joints the
// analysis kept for each frame it read (videos/services.py, skeleton_of). A toggle shows
// it; the page says everything else without it.

import { nearestFrame, pictureBox } from "./video-analysis-frames.mjs";

// Bones between the joints, as the analysis names them, for each side the model named.
const BONES = [
  ["ear", "shoulder"],
  ["shoulder", "hip"],
  ["hip", "knee"],
  ["knee", "ankle"],
  ["ankle", "heel"],
  ["heel", "foot_index"],
  ["ankle", "foot_index"],
];

function draw(canvas, video, skeleton) {
  // The stylesheet lays the canvas over the player's box (no inline style: the page's CSP);
  // its pixels follow that box's size.
  const scale = window.devicePixelRatio || 1;
  canvas.width = Math.round(video.clientWidth * scale);
  canvas.height = Math.round(video.clientHeight * scale);
  const context = canvas.getContext("2d");
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, video.clientWidth, video.clientHeight);
  const index = nearestFrame(skeleton.frames, video.currentTime);
  if (index < 0) return;
  const row = skeleton.frames[index];
  if (row.length < 2) return; // no one was found in that frame
  const box = pictureBox(video.clientWidth, video.clientHeight, video.videoWidth, video.videoHeight);
  const point = (name) => {
    const at = skeleton.joints.indexOf(name);
    const x = row[1 + 2 * at];
    const y = row[2 + 2 * at];
    return x == null || y == null ? null : [box.x + x * box.width, box.y + y * box.height];
  };
  context.lineWidth = 4;
  context.lineCap = "round";
  for (const side of ["left", "right"]) {
    context.strokeStyle = side === "left" ? "#5fd4c4" : "#f7b48f";
    context.fillStyle = context.strokeStyle;
    for (const [from, to] of BONES) {
      const a = point(`${side}_${from}`);
      const b = point(`${side}_${to}`);
      if (!a || !b) continue;
      context.beginPath();
      context.moveTo(a[0], a[1]);
      context.lineTo(b[0], b[1]);
      context.stroke();
    }
    for (const name of skeleton.joints.filter((joint) => joint.startsWith(side))) {
      const p = point(name);
      if (!p) continue;
      context.beginPath();
      context.arc(p[0], p[1], 4, 0, 2 * Math.PI);
      context.fill();
    }
  }
}

function setUp() {
  const video = document.getElementById("clip");
  const canvas = document.querySelector("[data-skeleton]");
  const toggle = document.querySelector("[data-skeleton-toggle]");
  if (!video || !canvas || !toggle || toggle.dataset.ready) return;
  toggle.dataset.ready = "1";
  let skeleton = null;
  let shown = false;
  let pending = 0;
  const redraw = () => {
    pending = 0;
    if (shown && skeleton) draw(canvas, video, skeleton);
  };
  const schedule = () => {
    if (!pending) pending = requestAnimationFrame(redraw);
  };
  const follow = () => {
    if (!shown) return;
    redraw();
    if (!video.paused && !video.ended) {
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(follow);
      else requestAnimationFrame(follow);
    }
  };
  fetch(canvas.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.skeleton || !data.skeleton.frames.some((row) => row.length > 1)) return;
      skeleton = data.skeleton;
      toggle.hidden = false;
    });
  toggle.addEventListener("click", () => {
    shown = !shown;
    toggle.setAttribute("aria-pressed", String(shown));
    toggle.textContent = shown ? "Hide the skeleton" : "Show the skeleton";
    canvas.hidden = !shown;
    follow();
  });
  video.addEventListener("play", follow);
  video.addEventListener("seeked", schedule);
  video.addEventListener("timeupdate", schedule);
  window.addEventListener("resize", schedule);
}

setUp();
// The player and the analysis arrive by htmx once processing and the analysis end.
document.body.addEventListener("htmx:afterSettle", setUp);

// A rep's link on the timeline is drawn in SVG, which Chromium does not scroll into view
// when the keyboard reaches it: brought into view here, so the focus is never off-screen.
document.addEventListener("focusin", (event) => {
  if (!(event.target instanceof SVGElement) || !event.target.closest(".rep-timeline")) return;
  const { top, bottom } = event.target.getBoundingClientRect();
  if (top < 0 || bottom > window.innerHeight) event.target.scrollIntoView({ block: "center", behavior: "instant" });
});

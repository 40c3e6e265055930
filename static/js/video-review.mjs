// The video page: slow playback, frame steps, comments that seek, and the coach's moment
// field filled from where the video is paused. The page works without it (typed seconds,
// links that open the video at the moment).

const clip = () => document.getElementById("clip");

function setUp() {
  const video = clip();
  const tools = document.querySelector("[data-video-tools]");
  if (!video || !tools || tools.dataset.ready) return;
  tools.dataset.ready = "1";
  tools.hidden = false;
  const frame = 1 / (Number(video.dataset.frameRate) || 30);
  tools.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.speed) {
      video.playbackRate = Number(button.dataset.speed);
      for (const other of tools.querySelectorAll("[data-speed]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
    } else if (button.dataset.step) {
      video.pause();
      const target = video.currentTime + Number(button.dataset.step) * frame;
      video.currentTime = Math.min(Math.max(target, 0), video.duration || target);
    }
  });
  // Looked up each time: a comment added with htmx draws the form anew.
  const fill = () => {
    const moment = document.querySelector("[data-comment-form] input[name=at_seconds]");
    if (moment) moment.value = video.currentTime.toFixed(2);
  };
  video.addEventListener("pause", fill);
  video.addEventListener("seeked", fill);
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-seek]");
  const video = clip();
  if (!link || !video) return;
  event.preventDefault();
  video.currentTime = Number(link.dataset.seek);
  video.scrollIntoView({ block: "nearest" });
});

setUp();
// The player arrives by htmx once processing ends.
document.body.addEventListener("htmx:afterSettle", setUp);

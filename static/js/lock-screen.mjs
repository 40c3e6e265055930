// What the lock screen and the notification shade show while the tempo timer runs
// (the Media Session API): the phase and the leg as the title, the set and the rep
// beneath, and play/pause buttons that pause and resume the count. Where the API is
// missing every call does nothing.

export class LockScreen {
  constructor({ play, pause }) {
    this.session = "mediaSession" in navigator ? navigator.mediaSession : null;
    const icon = document.querySelector('link[rel="apple-touch-icon"]');
    this.artwork = icon ? [{ src: icon.href, sizes: "192x192", type: "image/png" }] : [];
    this.handle({ play, pause });
  }

  handle(handlers) {
    for (const [action, handler] of Object.entries(handlers)) {
      try {
        this.session?.setActionHandler(action, handler);
      } catch {
        // an action this browser does not offer
      }
    }
  }

  show(title, detail) {
    if (!this.session || typeof MediaMetadata === "undefined") return;
    this.session.metadata = new MediaMetadata({
      title,
      artist: detail,
      album: "hipthrust tempo timer",
      artwork: this.artwork,
    });
  }

  state(timerState) {
    if (!this.session) return;
    this.session.playbackState = { running: "playing", paused: "paused" }[timerState] ?? "none";
    if (timerState === "idle") this.session.metadata = null;
  }

  clear() {
    if (!this.session) return;
    this.session.metadata = null;
    this.session.playbackState = "none";
    this.handle({ play: null, pause: null });
  }
}

// The skeleton's arithmetic, apart from the DOM (static/js/tests/): which analysed frame
// to draw at a moment of the video, and where the picture sits in the player's box.

// A frame further than this from the video's moment is not drawn (seconds): the analysis
// samples up to 15 frames a second, so a frame it read is always nearer than this.
export const NEAREST = 0.2;

// The index of the row nearest `time` in `frames` (rows of [time, ...] in time order), or
// -1 when none is within NEAREST.
export function nearestFrame(frames, time) {
  let low = 0;
  let high = frames.length - 1;
  if (high < 0) return -1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (frames[middle][0] < time) low = middle + 1;
    else high = middle;
  }
  const before = low > 0 ? low - 1 : low;
  const best = Math.abs(frames[before][0] - time) <= Math.abs(frames[low][0] - time) ? before : low;
  return Math.abs(frames[best][0] - time) <= NEAREST ? best : -1;
}

// The picture's place in a box of `boxWidth` x `boxHeight`: a player shows the whole picture,
// centred, with bars on the sides or above and below (object-fit: contain).
export function pictureBox(boxWidth, boxHeight, pictureWidth, pictureHeight) {
  const ratio = pictureWidth && pictureHeight ? pictureWidth / pictureHeight : 0;
  if (!ratio || !boxHeight) return { x: 0, y: 0, width: boxWidth, height: boxHeight };
  if (boxWidth / boxHeight > ratio) {
    const width = boxHeight * ratio;
    return { x: (boxWidth - width) / 2, y: 0, width, height: boxHeight };
  }
  const height = boxWidth / ratio;
  return { x: 0, y: (boxHeight - height) / 2, width: boxWidth, height };
}

// Sends the set's video in chunks (of the size the server gives) to an upload opened first.
// When a chunk fails it asks the server how far the upload got and carries on from there,
// so a dropped connection costs at most one chunk, never the whole file. Without this
// script the form posts the whole file in one request.

const RETRIES = 5;
const uploads = new WeakMap(); // form -> the upload under way, kept for "Upload" again

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function token(form) {
  return form.querySelector("[name=csrfmiddlewaretoken]").value;
}

async function body(response) {
  try {
    return await response.json();
  } catch {
    return {};
  }
}

// One chunk by XMLHttpRequest, for its progress; resolves with the answer, or null when the
// connection failed.
function put(upload, blob, first, csrf, onProgress) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("PUT", upload.url);
    request.setRequestHeader("X-CSRFToken", csrf);
    request.setRequestHeader(
      "Content-Range",
      `bytes ${first}-${first + blob.size - 1}/${upload.size}`,
    );
    request.upload.addEventListener("progress", (event) => onProgress(event.loaded));
    request.addEventListener("load", () => {
      let answer = {};
      try {
        answer = JSON.parse(request.responseText);
      } catch {
        // not ours (a proxy's page): treated as a failure below
      }
      resolve({ status: request.status, answer });
    });
    request.addEventListener("error", () => resolve(null));
    request.addEventListener("abort", () => resolve(null));
    request.send(blob);
  });
}

async function where(upload) {
  try {
    const response = await fetch(upload.url, { headers: { Accept: "application/json" } });
    if (response.status === 404) return "gone";
    return response.ok ? (await body(response)).offset : null;
  } catch {
    return null;
  }
}

async function open(form, file) {
  const data = new FormData();
  data.append("size", String(file.size));
  let response;
  try {
    response = await fetch(form.dataset.start, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": token(form) },
    });
  } catch {
    throw new Error("The connection dropped before the upload began. Try again.");
  }
  const answer = await body(response);
  if (!response.ok) throw new Error(answer.error || `The upload failed (${response.status}).`);
  return { ...answer, file };
}

async function send(form, file, ui) {
  let upload = uploads.get(form);
  if (!upload || upload.file !== file) {
    upload = await open(form, file);
    uploads.set(form, upload);
  }
  let offset = upload.offset;
  let failures = 0;
  while (offset < file.size) {
    const end = Math.min(offset + upload.chunk, file.size);
    const start = offset;
    const result = await put(upload, file.slice(start, end), start, token(form), (sent) =>
      ui.progress(start + sent, file.size),
    );
    if (result && result.status === 201) {
      uploads.delete(form);
      window.location.assign(result.answer.location);
      return;
    }
    if (result && (result.status === 200 || result.status === 409)) {
      offset = result.answer.offset;
      failures = 0;
      ui.progress(offset, file.size);
      continue;
    }
    if (result && result.status === 400) {
      uploads.delete(form);
      throw new Error(result.answer.error || "The video was refused.");
    }
    failures += 1;
    if (failures > RETRIES) {
      upload.offset = offset;
      throw new Error(
        `The connection dropped at ${ui.percent(offset, file.size)}%. ` +
          "Upload again to carry on from there.",
      );
    }
    await pause(400 * failures);
    const found = await where(upload);
    if (found === "gone") {
      // Finished (its answer lost) or expired: the page lists what arrived.
      window.location.assign(form.action);
      return;
    }
    if (typeof found === "number") offset = found;
  }
}

function watch(form) {
  const bar = form.querySelector("[data-upload-progress]");
  const status = form.querySelector("[data-upload-status]");
  const error = form.querySelector("[data-upload-error]");
  const button = form.querySelector("button[type=submit]");
  // "Film now" and "Choose a clip" are one field: the clip picked last is the one sent.
  const inputs = [...form.querySelectorAll("input[type=file]")];
  for (const input of inputs) {
    input.addEventListener("change", () => {
      if (!input.files.length) return;
      for (const other of inputs) if (other !== input) other.value = "";
    });
  }
  const ui = {
    percent: (done, size) => Math.floor((done / size) * 100),
    progress(done, size) {
      bar.value = ui.percent(done, size);
      status.textContent = `Uploading: ${bar.value}%`;
    },
  };
  form.addEventListener("submit", async (event) => {
    const file = inputs.map((input) => input.files[0]).find(Boolean);
    if (!file || !form.dataset.start) return; // the server says what is missing
    event.preventDefault();
    error.hidden = true;
    bar.hidden = false;
    button.disabled = true;
    status.textContent = "Uploading…";
    try {
      await send(form, file, ui);
    } catch (failure) {
      error.textContent = failure.message; // it says how far it got, when that matters
      error.hidden = false;
      bar.hidden = true;
      status.textContent = "";
      button.disabled = false;
    }
  });
}

const form = document.querySelector("[data-video-upload]");
if (form) watch(form);

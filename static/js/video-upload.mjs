// Sends the set's video with a progress bar. A dropped connection offers a retry, which
// sends the whole file again (the cap is 200 MB; see README, "Set videos"). Without this
// script the form posts as usual.

const form = document.querySelector("[data-video-upload]");

function send(form) {
  const bar = form.querySelector("[data-upload-progress]");
  const status = form.querySelector("[data-upload-status]");
  const button = form.querySelector("button[type=submit]");
  const request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.upload.addEventListener("progress", (event) => {
    if (!event.lengthComputable) return;
    bar.value = Math.round((event.loaded / event.total) * 100);
    status.textContent = `Uploading: ${bar.value}%`;
  });
  request.addEventListener("load", () => {
    if (request.status < 400 && request.responseURL && request.responseURL !== form.action) {
      window.location.assign(request.responseURL);
      return;
    }
    // Refused: show the server's form, with its message on the field.
    const page = new DOMParser().parseFromString(request.responseText, "text/html");
    const answer = page.getElementById(form.id);
    if (answer) {
      form.replaceWith(answer);
      watch(answer);
    } else {
      status.textContent = `The upload failed (${request.status}). Try again.`;
      button.disabled = false;
    }
  });
  request.addEventListener("error", () => {
    status.textContent = "The connection dropped. Upload again to send the video from the start.";
    button.disabled = false;
    bar.hidden = true;
  });
  bar.hidden = false;
  bar.value = 0;
  button.disabled = true;
  status.textContent = "Uploading…";
  request.send(new FormData(form));
}

function watch(form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
}

if (form) watch(form);

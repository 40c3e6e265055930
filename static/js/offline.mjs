// Every page: register the service worker (hipthrust/offline.py) that keeps the guide,
// the ladder and the timer for offline use, and ask it to check for a new version when
// the app comes back into view or back online (htmx's page changes are not navigations,
// which are the browser's own moments to check).

const address = document.documentElement.dataset.serviceWorker;

async function register() {
  const registration = await navigator.serviceWorker.register(address, { scope: "/" });
  const check = () => {
    if (navigator.onLine) registration.update().catch(() => {});
  };
  window.addEventListener("online", check);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
}

if (address && "serviceWorker" in navigator) {
  register().catch(() => {
    // no worker (a private window, storage refused): the site works online as before
  });
}

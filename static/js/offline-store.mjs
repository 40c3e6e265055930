// Where the offline queue is kept on the device: IndexedDB (the raw API: two stores
// and five calls do not need a library). "entries" holds the queue (offline-queue.mjs)
// by submission id; "account" the one record of who logs on this device, their unit and
// the session they last opened, which the offline log page (/offline/log/) reads.
// Logging out deletes the whole database (offline-log.mjs).

export const DATABASE = "hipthrust-offline";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("entries", { keyPath: "id" });
      request.result.createObjectStore("account", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(store, mode, act) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = act(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** Is there a queue on this device at all (without making one by asking)? */
export async function exists() {
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((db) => db.name === DATABASE);
}

export const entries = () => run("entries", "readonly", (store) => store.getAll());
export const put = (entry) => run("entries", "readwrite", (store) => store.put(entry));
export const remove = (id) => run("entries", "readwrite", (store) => store.delete(id));

/** The queue as `list` says, all at once (what drain leaves after each answer). */
export const replace = (list) =>
  run("entries", "readwrite", (store) => {
    store.clear();
    for (const entry of list) store.put(entry);
  });

export const account = async () => (await run("account", "readonly", (store) => store.get("me"))) || null;
export const setAccount = (record) => run("account", "readwrite", (store) => store.put({ ...record, key: "me" }));
export const forgetAccount = () => run("account", "readwrite", (store) => store.delete("me"));

/** Everything this device keeps of the queue and the account, gone. */
export function wipe() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DATABASE);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve(); // deleted once this page's connections close
  });
}

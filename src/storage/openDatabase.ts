/**
 * Opening an IndexedDB database (through idb) as the page's runs and the worker's datasets both
 * do: the stores created on upgrade, a connection closed when a newer page needs to upgrade, and
 * an open blocked by another tab holding an older version given up after `blockedWaitMs` (a slow
 * open on a busy machine is waited for). If a given-up open completes later, that connection is
 * closed at once, so a page never holds a database it does not use.
 */
import { type IDBPDatabase, openDB } from 'idb';

/** How long an open blocked by another tab (an older page that does not let go) is waited for. */
export const BLOCKED_WAIT_MS = 3000;

export interface OpenSpec {
  name: string;
  version: number;
  stores: readonly string[];
  blockedWaitMs: number;
  /** The error a blocked open ends in (its message says what to do). */
  blockedError: () => Error;
}

export async function openDatabase(o: OpenSpec): Promise<IDBPDatabase> {
  let blocked = false;
  let gaveUp = false;
  const opening = openDB(o.name, o.version, {
    upgrade(db) {
      for (const name of o.stores) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
    },
    blocked: () => void (blocked = true),
    // A newer page (another tab after an update) upgrading the database must not be blocked by this one.
    blocking: () => void opening.then((db) => db.close()),
  });
  void opening.then((db) => gaveUp && db.close(), () => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (!blocked) return;
      gaveUp = true;
      reject(o.blockedError());
    }, o.blockedWaitMs);
  });
  try {
    return await Promise.race([opening, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

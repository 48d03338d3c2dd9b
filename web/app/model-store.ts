// Where the Images and Sequences modes keep trained models: one record per setup (Images:
// dataset, stack, optimizer, seed; Sequences: task, cell, units, layers, direction, optimizer,
// seed), so a reload, a lost worker, a switch to another setup and back, or a second tab
// training another setup each find their own model again. Weights of an Images model run to
// megabytes (the Keras CNN has ~700,000), past what localStorage holds, so the records live
// in IndexedDB, one object store per mode; which records belong to a storage key is listed in
// localStorage beside the setup, so clearing the site's localStorage forgets them too (and the
// orphans are deleted on the next save). Without IndexedDB (private windows, tests in Node)
// the store keeps its records for the page's lifetime only.
import type { LossHistory } from './persist';

/** The modes whose models are kept here, each in its own IndexedDB object store. */
export type ModelStoreMode = 'images' | 'sequences' | 'lessons';
const MODES: readonly ModelStoreMode[] = ['images', 'sequences', 'lessons'];

/** A trained model of one setup: its weights and where its training stood. */
export interface StoredModel {
  /** What the model was built from (the app's build key). */
  key: string;
  epoch: number;
  stepInEpoch: number;
  weights: Float32Array;
  losses: LossHistory;
  /** The accuracy curve (empty for a regression task). */
  accuracy: LossHistory;
  savedAt: string;
}

/** Models kept per storage key; the least recently saved setup's model goes first. */
export const MODELS_PER_KEY = 4;
const DB_NAME = 'nnplay';
// Version 1 had the Images store only; version 2 adds the Sequences one, version 3 the Lessons one.
const DB_VERSION = 3;
const dbStoreOf = (mode: ModelStoreMode) => `${mode}-models`;

function isHistory(h: unknown): h is LossHistory {
  const o = h as LossHistory | null;
  return !!o && Array.isArray(o.epoch) && Array.isArray(o.train) && Array.isArray(o.test) && o.train.length === o.epoch.length && o.test.length === o.epoch.length;
}

/** A record read back, or null if it is not one (another version's, or damaged). */
export function checkStoredModel(value: unknown, key: string): StoredModel | null {
  const r = value as StoredModel | null;
  if (!r || r.key !== key || !(r.weights instanceof Float32Array)) return null;
  if (!Number.isInteger(r.epoch) || r.epoch < 0 || !Number.isInteger(r.stepInEpoch) || r.stepInEpoch < 0) return null;
  if (!isHistory(r.losses) || !isHistory(r.accuracy)) return null;
  for (let i = 0; i < r.weights.length; i++) if (!Number.isFinite(r.weights[i])) return null;
  return r;
}

export class ModelStore {
  private readonly memory = new Map<string, StoredModel>();
  private db: Promise<IDBDatabase | null> | null = null;
  // One write at a time; a newer save of the same key replaces a waiting one.
  private writing: Promise<void> = Promise.resolve();
  private readonly waiting = new Map<string, StoredModel>();
  private readonly dbStore: string;

  /**
   * storageKey: the app's localStorage key (records are listed under `${storageKey}:models`);
   * null keeps models in memory only, for the page's lifetime (a lost worker still restores).
   * mode: whose models these are (each mode has its own object store).
   */
  constructor(
    private readonly storageKey: string | null,
    mode: ModelStoreMode,
  ) {
    if (!MODES.includes(mode)) throw new Error(`nnplay ModelStore: mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}.`);
    this.dbStore = dbStoreOf(mode);
  }

  /** The model kept for this setup, or null. Never throws. */
  async get(key: string): Promise<StoredModel | null> {
    const known = this.memory.get(key);
    if (known) return known;
    if (this.storageKey === null || !this.listed().includes(key)) return null;
    const db = await this.open();
    if (!db) return null;
    const value = await request<unknown>(() => db.transaction(this.dbStore).objectStore(this.dbStore).get(this.dbKey(key)));
    return checkStoredModel(value, key);
  }

  /** Keeps this model for its setup (in memory at once, in IndexedDB soon). Never throws. */
  save(model: StoredModel): Promise<void> {
    this.memory.delete(model.key);
    this.memory.set(model.key, model);
    while (this.memory.size > MODELS_PER_KEY) this.memory.delete(this.memory.keys().next().value as string);
    if (this.storageKey === null) return this.writing;
    const list = this.listed().filter((k) => k !== model.key);
    list.push(model.key);
    const dropped = list.splice(0, Math.max(0, list.length - MODELS_PER_KEY));
    this.writeList(list);
    const first = !this.waiting.has(model.key);
    this.waiting.set(model.key, model);
    if (first) {
      this.writing = this.writing.then(async () => {
        const latest = this.waiting.get(model.key);
        this.waiting.delete(model.key);
        const db = await this.open();
        if (!db || !latest) return;
        await this.write(db, (s) => {
          s.put(latest, this.dbKey(latest.key));
          for (const k of dropped) s.delete(this.dbKey(k));
        });
        await this.deleteOrphans(db);
      });
    }
    return this.writing;
  }

  /** Forgets this setup's model (Reset). Never throws. */
  delete(key: string): Promise<void> {
    this.memory.delete(key);
    this.waiting.delete(key);
    if (this.storageKey === null) return this.writing;
    this.writeList(this.listed().filter((k) => k !== key));
    this.writing = this.writing.then(async () => {
      const db = await this.open();
      if (db) await this.write(db, (s) => s.delete(this.dbKey(key)));
    });
    return this.writing;
  }

  /** Resolves once every save and delete so far has reached IndexedDB (or failed quietly). */
  flushed(): Promise<void> {
    return this.writing;
  }

  private dbKey(key: string): string {
    return `${this.storageKey}\n${key}`;
  }

  private listed(): string[] {
    try {
      const list: unknown = JSON.parse(localStorage.getItem(`${this.storageKey}:models`) ?? '[]');
      return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return [];
    }
  }

  private writeList(list: string[]): void {
    try {
      localStorage.setItem(`${this.storageKey}:models`, JSON.stringify(list));
    } catch {
      // Storage unavailable: the models last as long as the page.
    }
  }

  /** Records under this storage key that the list no longer names (its localStorage was cleared). */
  private async deleteOrphans(db: IDBDatabase): Promise<void> {
    const listed = new Set(this.listed().map((k) => this.dbKey(k)));
    const range = IDBKeyRange.bound(`${this.storageKey}\n`, `${this.storageKey}\n\uffff`);
    const keys = await request<IDBValidKey[]>(() => db.transaction(this.dbStore).objectStore(this.dbStore).getAllKeys(range));
    const orphans = (keys ?? []).filter((k) => !listed.has(String(k)));
    if (orphans.length) await this.write(db, (s) => orphans.forEach((k) => s.delete(k)));
  }

  private open(): Promise<IDBDatabase | null> {
    this.db ??= new Promise((resolve) => {
      try {
        if (typeof indexedDB === 'undefined') return resolve(null);
        const open = indexedDB.open(DB_NAME, DB_VERSION);
        open.onupgradeneeded = () => {
          for (const m of MODES) if (!open.result.objectStoreNames.contains(dbStoreOf(m))) open.result.createObjectStore(dbStoreOf(m));
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => resolve(null);
        open.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
    return this.db;
  }

  private write(db: IDBDatabase, fill: (store: IDBObjectStore) => void): Promise<void> {
    return new Promise((resolve) => {
      try {
        const t = db.transaction(this.dbStore, 'readwrite');
        fill(t.objectStore(this.dbStore));
        t.oncomplete = () => resolve();
        t.onerror = () => resolve(); // quota or a closed database: the memory copy remains
        t.onabort = () => resolve();
      } catch {
        resolve();
      }
    });
  }
}

/** One IndexedDB request's result, or null if it failed. */
function request<T>(make: () => IDBRequest): Promise<T | null> {
  return new Promise((resolve) => {
    try {
      const r = make();
      r.onsuccess = () => resolve(r.result as T);
      r.onerror = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
}

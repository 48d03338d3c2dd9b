// The datasets fit() loaded into a model's engine session, kept across fit() calls.
//
// Why: TF.js programs call fit() again and again on the same tensors (a training loop of short
// fits, the TensorFlow Playground's protocol). Tensors are immutable, so the data a set of
// tensors loaded into the session (copied into wasm and checked finite there) is still right
// the next time: refer to it by id instead of copying and checking it again.
//
// An entry is valid only for the session and the compile it was checked against (sparse class
// indices are checked against the output's units), and is freed when any of its tensors is
// disposed, when it is evicted (at most `capacity` entries: the training and validation sets
// of the last fit), or with the session.
import type { Tensor } from './tensor';
import { whenDisposed } from './tensor';
import type { TrainingSession } from './training-session';

interface Entry<P> {
  session: TrainingSession;
  compiled: object;
  tensors: readonly Tensor[];
  prepared: P;
  id: number;
}

export class FitDataCache<P> {
  readonly #entries: Entry<P>[] = [];
  readonly #capacity: number;

  constructor(capacity = 2) {
    this.#capacity = capacity;
  }

  /** The entry loaded from exactly these tensors (same order) for this session and compile. */
  find(session: TrainingSession, compiled: object, tensors: readonly Tensor[]): { prepared: P; id: number } | null {
    const e = this.#entries.find(
      (x) => x.session === session && x.compiled === compiled && x.tensors.length === tensors.length && x.tensors.every((t, i) => t === tensors[i]),
    );
    if (!e) return null;
    // Most recently used last, so eviction drops the oldest.
    this.#entries.splice(this.#entries.indexOf(e), 1);
    this.#entries.push(e);
    return e;
  }

  /** Keeps dataset `id` of `session`, loaded from `tensors`; the cache frees it from now on. */
  add(session: TrainingSession, compiled: object, tensors: readonly Tensor[], prepared: P, id: number): void {
    const entry: Entry<P> = { session, compiled, tensors: [...tensors], prepared, id };
    this.#entries.push(entry);
    for (const t of tensors) whenDisposed(t, () => this.#drop(entry));
    while (this.#entries.length > this.#capacity) this.#drop(this.#entries[0]);
  }

  /** Whether dataset `id` of `session` is kept here (its caller must not free it). */
  holds(session: TrainingSession, id: number): boolean {
    return this.#entries.some((e) => e.session === session && e.id === id);
  }

  /** Frees every entry (the model is disposed, recompiled or rebuilt). */
  clear(): void {
    while (this.#entries.length > 0) this.#drop(this.#entries[0]);
  }

  #drop(entry: Entry<P>): void {
    const at = this.#entries.indexOf(entry);
    if (at < 0) return;
    this.#entries.splice(at, 1);
    if (!entry.session.isDisposed) entry.session.freeDataset(entry.id);
  }
}

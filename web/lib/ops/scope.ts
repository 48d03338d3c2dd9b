// Tensor lifetimes as TF.js counts them: tidy() scopes, keep(), dispose(container), and the
// ids the gradient tape refers to tensors by.
//
// What a scope is: the list of tensors created while it was the innermost one. When tidy()'s
// function returns, every tensor of its scope is disposed except those returned (which move to
// the enclosing scope, as TF.js moves them) and those passed to keep(). Variables belong to no
// scope (TF.js: tidy never disposes a variable). This module knows tensors only by the small
// interface below, so tensor.ts can depend on it without a cycle.

/** What scopes need of a tensor. */
export interface Scoped {
  readonly id: number;
  readonly isDisposed: boolean;
  dispose(): void;
}

interface Scope {
  readonly id: number;
  readonly name: string;
  readonly tracked: Scoped[];
}

const stack: Scope[] = [];
const keptIds = new Set<number>();
// The scope each tracked tensor was created in (to move a returned one only from its own scope).
const scopeOf = new Map<number, number>();
let nextScopeId = 1;
let nextTensorId = 0;

/** A fresh tensor id (unique in the realm, increasing). */
export function newTensorId(): number {
  return nextTensorId++;
}

/** Registers a new tensor with the innermost tidy() scope, if any (not for variables). */
export function track(t: Scoped): void {
  const scope = stack[stack.length - 1];
  if (!scope) return;
  scope.tracked.push(t);
  scopeOf.set(t.id, scope.id);
}

/** Whether a tensor was passed to keep(). */
export function isKept(t: Scoped): boolean {
  return keptIds.has(t.id);
}

/** Forgets a disposed tensor's bookkeeping. */
export function forget(t: Scoped): void {
  keptIds.delete(t.id);
  scopeOf.delete(t.id);
}

/**
 * nn.keep(t): t survives every enclosing tidy() (until disposed explicitly). Returns t.
 * TF.js: tf.keep.
 */
export function keep<T extends Scoped>(t: T): T {
  if (!isScoped(t)) throw new Error(`nnplay: keep(): expects a Tensor, got ${typeof t}`);
  keptIds.add(t.id);
  return t;
}

function isScoped(v: unknown): v is Scoped {
  return v !== null && typeof v === 'object' && typeof (v as Scoped).id === 'number' && typeof (v as Scoped).dispose === 'function' && 'isDisposed' in (v as object);
}

/** Every tensor in a value: itself, or inside arrays and plain objects (TF.js's rule for tidy and dispose). */
export function tensorsIn(value: unknown, isTensor: (v: unknown) => boolean, out: Scoped[] = [], seen = new Set<unknown>()): Scoped[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (isTensor(value)) {
    out.push(value as Scoped);
    return out;
  }
  if (Array.isArray(value)) {
    for (const v of value) tensorsIn(v, isTensor, out, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value as Record<string, unknown>)) tensorsIn(v, isTensor, out, seen);
  }
  return out;
}

/**
 * Runs fn in a new scope and disposes what it created, except what it returns and what was
 * kept. The result's tensors join the enclosing scope (TF.js tidy semantics).
 */
export function runScoped<T>(name: string, fn: () => T, isTensor: (v: unknown) => boolean): T {
  const scope: Scope = { id: nextScopeId++, name, tracked: [] };
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    endScope(scope, new Set());
    throw err;
  }
  if (result instanceof Promise) {
    endScope(scope, new Set());
    throw new Error('nnplay: tidy(): the function returned a Promise; tidy() takes a synchronous function (as in TF.js)');
  }
  const returned = tensorsIn(result, isTensor);
  endScope(scope, new Set(returned.map((t) => t.id)));
  const parent = stack[stack.length - 1];
  if (parent) {
    for (const t of returned) {
      if (!keptIds.has(t.id) && scopeOf.get(t.id) === scope.id && !t.isDisposed) {
        parent.tracked.push(t);
        scopeOf.set(t.id, parent.id);
      }
    }
  }
  return result;
}

function endScope(scope: Scope, survivors: Set<number>): void {
  stack.pop();
  for (const t of scope.tracked) {
    if (t.isDisposed || keptIds.has(t.id) || survivors.has(t.id)) continue;
    if (scopeOf.get(t.id) !== scope.id) continue; // moved out (returned by an inner tidy)
    t.dispose();
  }
  for (const t of scope.tracked) if (scopeOf.get(t.id) === scope.id && !survivors.has(t.id)) scopeOf.delete(t.id);
}

// How error messages show a value the user passed in: quote() writes it JSON-like, bounded in
// nesting depth and length; describe() says what kind of value it is and quotes it ("the
// string \"8\"", "an object {}"). Every message that shows a user value goes through here.
//
// Why not String() or JSON.stringify(): both recurse once per nesting level (an array nested
// 100,000 deep throws RangeError: Maximum call stack size exceeded instead of the message),
// loop or throw on cycles, print "[object Object]" for objects, hide that '8' is a string, and
// can write megabytes for a large array. Here recursion stops at QUOTE_DEPTH and output at
// QUOTE_LENGTH characters, so quoting costs O(QUOTE_LENGTH) whatever the value.

/** Nesting levels shown; deeper arrays/objects are written […] / {…}. */
export const QUOTE_DEPTH = 3;
/** Characters shown; longer quotes end with an ellipsis. */
export const QUOTE_LENGTH = 60;

const ELLIPSIS = '…';

// Collects output and reports when the budget is spent, so a walk stops early.
class Writer {
  text = '';
  constructor(readonly limit: number) {}
  /** Appends; false once more than `limit` characters are written (the caller stops). */
  put(s: string): boolean {
    this.text += s;
    return this.text.length <= this.limit;
  }
}

// The library's classes say their name with Symbol.toStringTag: the bundle is minified, so
// constructor.name would read "q".
function className(v: object): string | null {
  try {
    const tag = (v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
    if (typeof tag === 'string' && !ArrayBuffer.isView(v)) return tag;
    const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
    const name = proto?.constructor?.name;
    return typeof name === 'string' && name !== '' && name !== 'Object' ? name : null;
  } catch {
    return null;
  }
}

function quoteString(s: string, limit: number): string {
  // JSON escaping of only as much of the string as can be shown.
  return JSON.stringify(s.length > limit ? s.slice(0, limit) : s);
}

function quoteKey(k: string, limit: number): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quoteString(k, limit);
}

function primitive(v: unknown, limit: number): string | null {
  switch (typeof v) {
    case 'string':
      return quoteString(v, limit);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      return 'Symbol()';
    case 'function':
      return 'function';
    default:
      return v === null ? 'null' : null;
  }
}

// Depth-capped (at QUOTE_DEPTH) walk; returns false when the budget ran out.
function write(v: unknown, depth: number, w: Writer): boolean {
  const p = primitive(v, w.limit);
  if (p !== null) return w.put(p);
  const obj = v as object;
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const typed = obj as unknown as ArrayLike<number | bigint>;
    if (!w.put(`${className(obj) ?? 'TypedArray'}(${typed.length}) [`)) return false;
    for (let i = 0; i < typed.length; i++) {
      if (!w.put((i ? ',' : '') + String(typed[i]))) return false;
    }
    return w.put(']');
  }
  if (Array.isArray(obj)) {
    if (obj.length === 0) return w.put('[]');
    if (depth >= QUOTE_DEPTH) return w.put(`[${ELLIPSIS}]`);
    if (!w.put('[')) return false;
    for (let i = 0; i < obj.length; i++) {
      if (i && !w.put(',')) return false;
      if (!write(obj[i], depth + 1, w)) return false;
    }
    return w.put(']');
  }
  const name = className(obj);
  if (name !== null) return w.put(`[${name}]`);
  // for...in stops at the budget; Object.keys() would build the whole key list as strings.
  let first = true;
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
    if (first && depth >= QUOTE_DEPTH) return w.put(`{${ELLIPSIS}}`);
    if (!w.put(`${first ? '{' : ','}${quoteKey(k, w.limit)}:`)) return false;
    first = false;
    if (!write((obj as Record<string, unknown>)[k], depth + 1, w)) return false;
  }
  return w.put(first ? '{}' : '}');
}

/**
 * The value written JSON-like (arrays [1,2], strings "a", objects {a:1}), nested at most
 * QUOTE_DEPTH levels and at most `maxLength` characters, ending in … when cut. Never throws.
 */
export function quote(value: unknown, maxLength = QUOTE_LENGTH): string {
  const w = new Writer(maxLength);
  let complete: boolean;
  try {
    complete = write(value, 0, w);
  } catch {
    // A getter or proxy that throws: show what was written before it.
    complete = false;
  }
  if (complete) return w.text;
  return w.text.slice(0, Math.max(0, maxLength - 1)) + ELLIPSIS;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/**
 * What a value is, for "got …" in messages: numbers, booleans, null, undefined and arrays as
 * they are (8, NaN, true, null, [1,2]); everything else named by its type, then quoted: the
 * string "8", an object {units:8}, a Float32Array(3) [1,2,3], a Tensor, a function.
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'undefined':
      return quote(value);
    case 'string':
      return `the string ${quote(value)}`;
    case 'bigint':
      return `the bigint ${quote(value)}`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  if (value === null) return 'null';
  // Brackets already say "array" (and keep "got [1,8]" short where a shape was expected).
  if (Array.isArray(value)) return quote(value);
  const name = className(value as object);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return article(quote(value));
  if (name !== null) return article(name);
  return `an object ${quote(value)}`;
}

// Checks a number from a link or an attribute against what the engine can actually use.
//
// Why more than Number.isFinite: the engine computes in float32, so a value that JavaScript
// holds happily can overflow (1e308 becomes Infinity) or vanish (1e-50 becomes 0) on its way
// in, and a representable rate can still be useless (a learning rate of 1e6 diverges on the
// first step). Each rejection says which of these it is and names a value that works.
// Pure, no DOM: state.ts and images-state.ts use it, tests call it in Node.

/** The largest finite float32, and the smallest positive normal one. */
export const FLOAT32_MAX = 3.4028234663852886e38;
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

export interface RateLimits {
  /** Smallest value that still changes anything, and largest that trains at all. */
  min: number;
  max: number;
  /** Whether 0 is allowed (it means "off", e.g. no regularization). */
  zero: boolean;
  /** The value a message suggests. */
  suggest: number;
}

/** The number in `text` when it is usable, else a message: why not, and what works. */
export function checkRate(text: string, limits: RateLimits): { value: number } | { error: string } {
  const range = `use ${limits.zero ? '0 (off) or ' : ''}a value from ${formatNumber(limits.min)} to ${formatNumber(limits.max)}, e.g. ${formatNumber(limits.suggest)}`;
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) return { error: `not a number; ${range}` };
  if (!Number.isFinite(n) || Math.abs(n) > FLOAT32_MAX) return { error: `beyond float32, the engine's number type (largest 3.4e38); ${range}` };
  if (n < 0) return { error: `negative; ${range}` };
  if (n === 0) return limits.zero ? { value: 0 } : { error: `zero would not train; ${range}` };
  if (n < FLOAT32_MIN_NORMAL) return { error: `it rounds to 0 in float32, the engine's number type; ${range}` };
  if (n < limits.min) return { error: `too small to change the weights visibly; ${range}` };
  if (n > limits.max) return { error: `too large: training diverges on the first steps; ${range}` };
  return { value: n };
}

/** Numbers as messages show them: String() is plain decimal from 1e-6 to 1e21. */
export function formatNumber(n: number): string {
  return String(n);
}

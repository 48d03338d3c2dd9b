// TensorFlow Playground's URL hash keys, read so that its links open the same setup here.
//
// TF Playground (github.com/tensorflow/playground, src/state.ts) names features x, y, xTimesY,
// xSquared, ySquared, sinX, sinY, cosX, cosY (each a boolean key), the train share
// percTrainData, and keeps the regression dataset in its own key, regDataset, beside dataset;
// its seed is a string such as "0.45796". This module says what each of its keys means here;
// parseHash (state.ts) applies it. Pure, no DOM.
import type { FeatureName } from '../worker/protocol';

/** TF Playground's boolean feature keys, by the feature they turn on here. */
export const TF_FEATURES: Readonly<Record<string, FeatureName>> = {
  x: 'x1',
  y: 'x2',
  xTimesY: 'x1x2',
  xSquared: 'x1Squared',
  ySquared: 'x2Squared',
  sinX: 'sinX1',
  sinY: 'sinX2',
};

/** TF Playground's features when its link names none: x and y on. */
export const TF_DEFAULT_FEATURES: readonly FeatureName[] = ['x1', 'x2'];

/** TF Playground keys whose name differs here (the `_hide` options follow the same map). */
export const TF_RENAMED: Readonly<Record<string, string>> = {
  percTrainData: 'ratio',
  numHiddenLayers: 'networkShape',
};

/**
 * TF Playground keys with no counterpart here: ignored when off (false, empty) and named in
 * one line when on, since the setup then differs from the link's.
 */
export const TF_UNSUPPORTED = ['cosX', 'cosY', 'initZero', 'collectStats', 'hideText', 'tutorial'] as const;

/** `table[key]` when the key is the table's own (never Object.prototype's: "constructor"). */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Whether a key's value switches the unsupported feature on (TF reads anything but "false" as true). */
export function tfValueIsOn(value: string): boolean {
  return value.trim() !== '' && value !== 'false';
}

/**
 * A whole-number seed for TF Playground's string seed ("0.45796"): the same string always
 * gives the same seed, so a link reproduces its data here (not TF Playground's points, whose
 * generator differs).
 */
export function seedFromString(text: string): number {
  // FNV-1a over the UTF-16 code units, folded into 31 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

// Initializer factories (TF.js: tf.initializers.*): what TF.js users write as
// `kernelInitializer: tf.initializers.varianceScaling({scale: 2, mode: 'fanIn', distribution: 'uniform'})`.
// Each returns an Initializer naming one row of the engine's initializer table (its name is what
// the layer's config holds), so the engine stays the one place with the formulas. The engine's
// rows have fixed parameters (TF.js's defaults); a factory given others that no row has says so
// instead of silently using different ones.
import { describe, quote } from './describe';

function fail(where: string, message: string): never {
  throw new Error(`nnplay: ${where}: ${message}`);
}

/** A kernel / bias initializer: one engine table row (by name). */
export class Initializer {
  /** @internal Use the nn.initializers factories. `params`: the engine row's keys (constant's value). */
  constructor(
    readonly className: string,
    readonly params?: Readonly<Record<string, number>>,
  ) {}
  /** What a layer config sends the engine: the row's name, or {name, ...params} for a row with parameters. */
  toEngine(): string | Record<string, unknown> {
    return this.params ? { name: this.className, ...this.params } : this.className;
  }
  /** TF.js getClassName(). */
  getClassName(): string {
    return this.className;
  }
  get [Symbol.toStringTag](): string {
    return 'Initializer';
  }
}

function checkKeys(where: string, args: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (args === undefined) return {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) fail(where, `expected an options object, got ${describe(args)}`);
  for (const k of Object.keys(args)) if (!allowed.includes(k)) fail(where, `unknown option ${quote(k)}; allowed: ${allowed.join(', ') || 'none'}`);
  return args as Record<string, unknown>;
}

/** Requires each given parameter to equal the engine row's (TF.js's default). */
function fixed(where: string, args: Record<string, unknown>, defaults: Record<string, unknown>, name: string): Initializer {
  for (const [k, def] of Object.entries(defaults)) {
    if (args[k] !== undefined && args[k] !== def) {
      fail(where, `${k} ${describe(args[k])} is not supported yet; the engine's ${name} uses ${k} ${describe(def)} (TF.js's default)`);
    }
  }
  return new Initializer(name);
}

// (scale, mode, distribution) of the engine's variance-scaling rows, as TF.js defines them.
const varianceScalingRows: [number, string, string, string][] = [
  [1, 'fanIn', 'normal', 'varianceScaling'],
  [2, 'fanIn', 'normal', 'heNormal'],
  [2, 'fanIn', 'uniform', 'heUniform'],
  [1, 'fanAvg', 'uniform', 'glorotUniform'],
  [1, 'fanAvg', 'normal', 'glorotNormal'],
  [1, 'fanIn', 'uniform', 'leCunUniform'],
];

/** TF.js varianceScaling({scale = 1, mode = 'fanIn', distribution = 'normal', seed}). */
function varianceScaling(args?: { scale?: number; mode?: 'fanIn' | 'fanOut' | 'fanAvg'; distribution?: 'normal' | 'uniform' | 'truncatedNormal'; seed?: number }): Initializer {
  const where = 'initializers.varianceScaling()';
  const a = checkKeys(where, args, ['scale', 'mode', 'distribution', 'seed']);
  const scale = a.scale ?? 1;
  const mode = a.mode ?? 'fanIn';
  // TF.js draws 'normal' as a truncated normal, so 'truncatedNormal' is the same distribution.
  const distribution = a.distribution === 'truncatedNormal' ? 'normal' : (a.distribution ?? 'normal');
  if (typeof scale !== 'number' || !(scale > 0)) fail(where, `scale must be a number > 0, got ${describe(a.scale)}`);
  if (!['fanIn', 'fanOut', 'fanAvg'].includes(mode as string)) fail(where, `mode must be 'fanIn', 'fanOut' or 'fanAvg', got ${describe(a.mode)}`);
  if (!['normal', 'uniform'].includes(distribution as string)) fail(where, `distribution must be 'normal', 'uniform' or 'truncatedNormal', got ${describe(a.distribution)}`);
  const row = varianceScalingRows.find(([s, m, d]) => s === scale && m === mode && d === distribution);
  if (!row) {
    const have = varianceScalingRows.map(([s, m, d]) => `{scale: ${s}, mode: '${m}', distribution: '${d}'}`).join(', ');
    fail(where, `{scale: ${scale}, mode: '${String(mode)}', distribution: '${String(distribution)}'} is not supported yet; supported: ${have}`);
  }
  return new Initializer(row[3]);
}

const seedOnly = (name: string) => (args?: { seed?: number }) => {
  checkKeys(`initializers.${name}()`, args, ['seed']);
  return new Initializer(name);
};

/**
 * Initializer factories (TF.js: tf.initializers). A `seed` is accepted and ignored: weights are
 * seeded by the model's seed (same seed, same weights).
 */
export const initializers = {
  varianceScaling,
  glorotUniform: seedOnly('glorotUniform'),
  glorotNormal: seedOnly('glorotNormal'),
  heNormal: seedOnly('heNormal'),
  heUniform: seedOnly('heUniform'),
  leCunNormal: seedOnly('leCunNormal'),
  leCunUniform: seedOnly('leCunUniform'),
  orthogonal: (args?: { gain?: number; seed?: number }) =>
    fixed('initializers.orthogonal()', checkKeys('initializers.orthogonal()', args, ['gain', 'seed']), { gain: 1 }, 'orthogonal'),
  identity: (args?: { gain?: number }) => fixed('initializers.identity()', checkKeys('initializers.identity()', args, ['gain']), { gain: 1 }, 'identity'),
  /** TF.js constant({value}): every weight the value. */
  constant: (args: { value: number }) => {
    const a = checkKeys('initializers.constant()', args, ['value']);
    if (typeof a.value !== 'number' || !Number.isFinite(a.value)) fail('initializers.constant()', `value must be a finite number, got ${describe(a.value)}`);
    return new Initializer('constant', { value: a.value });
  },
  zeros: () => new Initializer('zeros'),
  ones: () => new Initializer('ones'),
  randomNormal: (args?: { mean?: number; stddev?: number; seed?: number }) =>
    fixed('initializers.randomNormal()', checkKeys('initializers.randomNormal()', args, ['mean', 'stddev', 'seed']), { mean: 0, stddev: 0.05 }, 'randomNormal'),
  truncatedNormal: (args?: { mean?: number; stddev?: number; seed?: number }) =>
    fixed('initializers.truncatedNormal()', checkKeys('initializers.truncatedNormal()', args, ['mean', 'stddev', 'seed']), { mean: 0, stddev: 0.05 }, 'truncatedNormal'),
  randomUniform: (args?: { minval?: number; maxval?: number; seed?: number }) =>
    fixed('initializers.randomUniform()', checkKeys('initializers.randomUniform()', args, ['minval', 'maxval', 'seed']), { minval: -0.05, maxval: 0.05 }, 'randomUniform'),
};

// The small parts of the TF.js layers-model format that the IO handlers need at once (names,
// shard splitting), and the loader of the rest: tfjs-format.ts (the Keras topology both ways,
// weight decoding) is a separate chunk, fetched by the first model.save() / nn.loadLayersModel()
// (an app that never saves or loads does not download it; see scripts/size.mjs). Everything here
// is re-exported by tfjs-format.ts, so code that imports the format from there keeps working.
import { describe } from './describe';

/** What TF.js writes as generatedBy / keras_version. */
export const TFJS_VERSION = '4.22.0';
export const GENERATED_BY = `nnplay (TensorFlow.js tfjs-layers v${TFJS_VERSION} format)`;
/** tensorflowjs_converter's and TF.js's default shard size. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

export function snakeCase(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
export function camelCase(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Splits the weights into shards of `shardBytes` (the last one shorter), as tensorflowjs_converter does. */
export function shardWeights(data: ArrayBuffer, shardBytes: number): ArrayBuffer[] {
  if (!Number.isInteger(shardBytes) || shardBytes < 4 || shardBytes % 4 !== 0) {
    throw new Error(`nnplay: save(): shardSizeBytes must be a multiple of 4 that is at least 4, got ${describe(shardBytes)}`);
  }
  const shards: ArrayBuffer[] = [];
  for (let at = 0; at < data.byteLength || shards.length === 0; at += shardBytes) shards.push(data.slice(at, Math.min(at + shardBytes, data.byteLength)));
  return shards;
}

/** One buffer from a list of shards (TF.js WeightData may be either). */
export function concatBuffers(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data;
  if (data.length === 1) return data[0];
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

type TfjsFormat = typeof import('./tfjs-format');
let loaded: TfjsFormat | undefined;
let loading: Promise<TfjsFormat> | undefined;

/** tfjs-format.ts, fetched on first use (one request however many callers wait). */
export function loadTfjsFormat(): Promise<TfjsFormat> {
  loading ??= import('./tfjs-format').then(
    (m) => (loaded = m),
    (err: unknown) => {
      loading = undefined; // a failed fetch (offline) may be retried by the next call
      throw new Error(`nnplay: could not load the TF.js model format module (${err instanceof Error ? err.message : String(err)})`);
    },
  );
  return loading;
}

/** The loaded tfjs-format.ts, for code that runs after an awaited loadTfjsFormat(). */
export function tfjsFormatNow(): TfjsFormat {
  if (!loaded) throw new Error('nnplay: internal: the TF.js model format module is used before loadTfjsFormat() resolved');
  return loaded;
}

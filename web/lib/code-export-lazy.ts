// nn.exportCode() as the library exports it: code-export.ts (the three code generators, the
// largest module of the library) is a separate chunk, fetched by the first exportCode() call, so
// a page with an export button downloads it only when the button is used (scripts/size.mjs).
// The target list and the weights format name are here because they are values users read
// before exporting anything; code-export.ts re-exports them.
import type { CodeTarget, ExportCodeOptions, ExportedCode } from './code-export';
import type { LayersModel } from './model';

export const codeTargets = ['keras', 'pytorch', 'tfjs'] as const;
export const WEIGHTS_FORMAT = 'nnplay-weights';

let loading: Promise<typeof import('./code-export')> | undefined;

/**
 * The model as source code of another framework plus its weights (to write beside it):
 * 'keras' (a Python script, Keras 3), 'pytorch' (an nn.Module, its weight loader and a training
 * loop) or 'tfjs' (an ES module for @tensorflow/tfjs). Rejects with an Error naming the layer and
 * option for anything the target cannot express. See docs/API.md, "Exporting code".
 */
export async function exportCode(model: LayersModel, target: CodeTarget, options: ExportCodeOptions = {}): Promise<ExportedCode> {
  loading ??= import('./code-export').catch((err: unknown) => {
    loading = undefined; // a failed fetch (offline) may be retried by the next call
    throw new Error(`nnplay: exportCode(): could not load the code export module (${err instanceof Error ? err.message : String(err)})`);
  });
  return (await loading).exportCode(model, target, options);
}

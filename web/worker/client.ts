// The page's handle on the 2-D training worker: a ModeClient (mode-client.ts: typed messages,
// one listener, a lost worker reported through worker-link.ts) whose snapshots arrive converted
// to the per-neuron Snapshot. Small on purpose; all state lives in the page or in the worker.
import { ModeClient } from './mode-client';
import { type FromWorker, type FromWorkerRaw, type NodeSnapshot, toSnapshot, type ToWorker } from './protocol';

export { LOST_MS } from './worker-link';

export interface ClientOptions {
  /** Also gets each snapshot as the worker sent it (node payloads). */
  onNodes?: (snapshot: NodeSnapshot) => void;
  /** The worker is gone (crashed, hung or terminated): how it was noticed, as a clause. */
  onLost?: (reason: string) => void;
}

export class PlaygroundClient extends ModeClient<ToWorker, FromWorkerRaw> {
  constructor(onMessage: (message: FromWorker) => void, options: ClientOptions = {}) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    super(
      new Worker(new URL('./playground-worker.ts', import.meta.url), { type: 'module' }),
      (message) => {
        if (message.type !== 'nodes') {
          onMessage(message);
          return;
        }
        options.onNodes?.(message.snapshot);
        onMessage({ type: 'snapshot', snapshot: toSnapshot(message.snapshot) });
      },
      options.onLost,
    );
  }
}

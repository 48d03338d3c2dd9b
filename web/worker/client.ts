// The page's handle on the training worker: starts it, sends typed messages, hands typed
// replies to one listener. Small on purpose; all state lives in the page or in the worker.
import { type FromWorker, type FromWorkerRaw, type NodeSnapshot, toSnapshot, type ToWorker } from './protocol';

export class PlaygroundClient {
  private readonly worker: Worker;

  /** onMessage gets every message, snapshots as the per-neuron Snapshot (as before);
   *  onNodes, when given, also gets each snapshot as the worker sent it (node payloads). */
  constructor(onMessage: (message: FromWorker) => void, onNodes?: (snapshot: NodeSnapshot) => void) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    this.worker = new Worker(new URL('./playground-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<FromWorkerRaw>) => {
      const message = event.data;
      if (message.type !== 'nodes') {
        onMessage(message);
        return;
      }
      onNodes?.(message.snapshot);
      onMessage({ type: 'snapshot', snapshot: toSnapshot(message.snapshot) });
    };
    this.worker.onerror = (event: ErrorEvent) => {
      onMessage({ type: 'error', message: `The training worker failed: ${event.message || 'unknown error'}`, diverged: false });
    };
  }

  send(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  dispose(): void {
    this.worker.terminate();
  }
}

// The page's handle on the 2-D training worker: sends typed messages, hands typed replies to
// one listener (snapshots converted to the per-neuron Snapshot), and reports a lost worker
// (worker-link.ts: heartbeat, error events). Small on purpose; all state lives in the page or
// in the worker.
import { type FromWorker, type FromWorkerRaw, type NodeSnapshot, toSnapshot, type ToWorker } from './protocol';
import { WorkerLink } from './worker-link';

export { LOST_MS } from './worker-link';

export interface ClientOptions {
  /** Also gets each snapshot as the worker sent it (node payloads). */
  onNodes?: (snapshot: NodeSnapshot) => void;
  /** The worker is gone (crashed, hung or terminated): how it was noticed, as a clause. */
  onLost?: (reason: string) => void;
}

export class PlaygroundClient {
  private readonly link: WorkerLink<FromWorkerRaw>;

  constructor(onMessage: (message: FromWorker) => void, options: ClientOptions = {}) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    const worker = new Worker(new URL('./playground-worker.ts', import.meta.url), { type: 'module' });
    this.link = new WorkerLink<FromWorkerRaw>(
      worker,
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

  get isLost(): boolean {
    return this.link.isLost;
  }

  send(message: ToWorker, transfer: Transferable[] = []): void {
    this.link.post(message, transfer);
  }

  /** For tests and automation: ends the worker as a crash would, without telling anyone. */
  terminateWorker(): void {
    this.link.terminateWorker();
  }

  dispose(): void {
    this.link.dispose();
  }
}

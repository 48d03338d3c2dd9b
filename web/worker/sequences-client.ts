// The Sequences mode's handle on its worker: sends typed messages, hands typed replies to one
// listener, and reports a lost worker (worker-link.ts). All state lives in the page or in the
// worker.
import type { FromSequencesWorker, ToSequencesWorker } from './sequences-protocol';
import { WorkerLink } from './worker-link';

export class SequencesClient {
  private readonly link: WorkerLink<FromSequencesWorker>;

  constructor(onMessage: (message: FromSequencesWorker) => void, onLost?: (reason: string) => void) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    const worker = new Worker(new URL('./sequences-worker.ts', import.meta.url), { type: 'module' });
    this.link = new WorkerLink<FromSequencesWorker>(worker, onMessage, onLost);
  }

  get isLost(): boolean {
    return this.link.isLost;
  }

  send(message: ToSequencesWorker, transfer: Transferable[] = []): void {
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

// A mode page's handle on its worker (ImagesClient, SequencesClient extend it with the worker's
// URL, which Vite must see literally to bundle the worker): sends typed messages, hands typed
// replies to one listener, and reports a lost worker (worker-link.ts). All state lives in the
// page or in the worker.
import { WorkerLink } from './worker-link';

export class ModeClient<To extends { type: string }, From extends { type: string }> {
  private readonly link: WorkerLink<From>;

  constructor(worker: Worker, onMessage: (message: From) => void, onLost?: (reason: string) => void) {
    this.link = new WorkerLink<From>(worker, onMessage, onLost);
  }

  get isLost(): boolean {
    return this.link.isLost;
  }

  send(message: To, transfer: Transferable[] = []): void {
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

// The Images mode's handle on its worker: starts it, sends typed messages, hands typed replies
// to one listener. All state lives in the page or in the worker.
import type { FromImagesWorker, ToImagesWorker } from './images-protocol';

export class ImagesClient {
  private readonly worker: Worker;

  constructor(onMessage: (message: FromImagesWorker) => void) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    this.worker = new Worker(new URL('./images-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<FromImagesWorker>) => onMessage(event.data);
    this.worker.onerror = (event: ErrorEvent) => {
      onMessage({ type: 'error', message: `The training worker failed: ${event.message || 'unknown error'}`, where: 'training' });
    };
  }

  send(message: ToImagesWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  dispose(): void {
    this.worker.terminate();
  }
}

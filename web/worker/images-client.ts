// The Images mode's handle on its worker (mode-client.ts).
import type { FromImagesWorker, ToImagesWorker } from './images-protocol';
import { ModeClient } from './mode-client';

export class ImagesClient extends ModeClient<ToImagesWorker, FromImagesWorker> {
  constructor(onMessage: (message: FromImagesWorker) => void, onLost?: (reason: string) => void) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    super(new Worker(new URL('./images-worker.ts', import.meta.url), { type: 'module' }), onMessage, onLost);
  }
}

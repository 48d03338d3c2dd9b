// The Sequences mode's handle on its worker (mode-client.ts).
import { ModeClient } from './mode-client';
import type { FromSequencesWorker, ToSequencesWorker } from './sequences-protocol';

export class SequencesClient extends ModeClient<ToSequencesWorker, FromSequencesWorker> {
  constructor(onMessage: (message: FromSequencesWorker) => void, onLost?: (reason: string) => void) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    super(new Worker(new URL('./sequences-worker.ts', import.meta.url), { type: 'module' }), onMessage, onLost);
  }
}

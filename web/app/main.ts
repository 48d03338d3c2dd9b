// The playground page: one PlaygroundApp filling the page, its setup in the URL hash (so a
// link reproduces it), its trained model kept under the page's storage key, and a file
// dropped anywhere on the page imported.
import { PlaygroundApp } from './playground-app';
import { hashStateSource } from './state-source';

const root = document.getElementById('app');
if (!root) throw new Error('nnplay page: missing #app');
const app = new PlaygroundApp(root, { state: hashStateSource(), storageKey: 'nnplay:playground', dropTarget: document });

// Hooks for automation and embedding pages: the app's state, generation, framesDrawn,
// drawStats, checkpointEpoch and lossHistory getters.
(window as unknown as { nnplay?: PlaygroundApp }).nnplay = app;

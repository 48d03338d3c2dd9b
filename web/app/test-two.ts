// Two PlaygroundApps on one page: the first reads and mirrors its setup in its element's
// data-state attribute, the second keeps its setup in memory (its ids get the first free
// default prefix); each keeps its trained model under its own storage key. The browser tests
// reach them, and the constructor (to build and dispose more), through window.nnplayTest.
import { PlaygroundApp } from './playground-app';
import { attributeStateSource, memoryStateSource } from './state-source';

function element(id: string): HTMLElement {
  const e = document.getElementById(id);
  if (!e) throw new Error(`nnplay test page: missing #${id}`);
  return e;
}

const first = element('first');
const apps = {
  first: new PlaygroundApp(first, { state: attributeStateSource(first), storageKey: 'nnplay:test-two:first', idPrefix: 'first-' }),
  second: new PlaygroundApp(element('second'), { state: memoryStateSource(), storageKey: 'nnplay:test-two:second' }),
};
(window as unknown as { nnplayTest?: unknown }).nnplayTest = { apps, PlaygroundApp, memoryStateSource };

// The page shell: a mode switch (2-D playground / Images) above one app filling the page. The
// mode lives in the URL hash: `#mode=images&…` opens the Images mode (ImagesApp, its setup in the
// rest of the hash); any other hash is the 2-D playground's, unchanged. Each mode keeps its own
// setup in localStorage, so switching back and forth loses nothing; `mode_hide=true` hides the
// switch. A file dropped anywhere on the page is imported by the 2-D playground.
import { ImagesApp } from './images/images-app';
import { PlaygroundApp } from './playground-app';
import { hashStateSource } from './state-source';

type Mode = 'playground' | 'images';

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'playground', label: '2-D playground' },
  { mode: 'images', label: 'Images' },
];

class PageShell {
  private app: PlaygroundApp | ImagesApp | null = null;
  private mode: Mode | null = null;
  private readonly nav: HTMLElement;
  private readonly source = hashStateSource();
  // The 2-D hash of this visit, so switching to Images and back restores it.
  private playgroundHash = '';

  constructor(private readonly root: HTMLElement) {
    const doc = root.ownerDocument;
    this.nav = doc.createElement('nav');
    this.nav.className = 'mode-switch';
    this.nav.setAttribute('aria-label', 'Mode');
    for (const { mode, label } of MODES) {
      const b = doc.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.mode = mode;
      b.addEventListener('click', () => this.switchTo(mode));
      this.nav.append(b);
    }
    root.before(this.nav);
    // Before the apps subscribe, so a pasted link of the other mode switches first.
    window.addEventListener('hashchange', () => this.open());
    this.open();
  }

  private hashMode(): Mode {
    return new URLSearchParams(this.source.read()).get('mode') === 'images' ? 'images' : 'playground';
  }

  private open(): void {
    const text = this.source.read();
    const mode = this.hashMode();
    this.nav.hidden = new URLSearchParams(text).get('mode_hide') === 'true';
    if (mode === this.mode) return;
    this.app?.dispose();
    this.mode = mode;
    for (const b of this.nav.querySelectorAll<HTMLButtonElement>('button')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    this.app =
      mode === 'images'
        ? new ImagesApp(this.root, { state: this.source, storageKey: 'nnplay:images' })
        : new PlaygroundApp(this.root, { state: this.source, storageKey: 'nnplay:playground', dropTarget: document });
    // Hooks for automation and embedding pages (the app's getters: state, generation, …).
    (window as unknown as { nnplay?: PlaygroundApp | ImagesApp }).nnplay = this.app;
  }

  private switchTo(mode: Mode): void {
    if (mode === this.mode) return;
    if (mode === 'images') {
      this.playgroundHash = this.source.read();
      this.source.write('mode=images');
    } else {
      this.source.write(this.playgroundHash);
    }
    this.open();
  }
}

const root = document.getElementById('app');
if (!root) throw new Error('nnplay page: missing #app');
new PageShell(root);

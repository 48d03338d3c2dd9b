// The page shell: a mode switch (2-D playground / Images / Sequences) and a Share / Embed button above one
// app filling the page. The mode lives in the URL hash: `#mode=images&…` opens the Images mode
// (ImagesApp, its setup in the rest of the hash), `#mode=sequences&…` the Sequences mode
// (SequencesApp); any other hash is the 2-D playground's,
// unchanged. Each mode keeps its own setup in localStorage, so switching back and forth loses
// nothing; `mode_hide=true` hides the switch. A file dropped anywhere on the page is imported by
// the 2-D playground.
//
// As an iframe (index.html or embed.html): the setup may come in the query instead of the hash
// (`embed.html?dataset=xor`), `autoplay=true` starts training once the engine is ready, and the
// embedding page drives the app by postMessage (embed-bridge.ts, origin-checked). embed.html
// (<meta name="nnplay-embed">) hides every control that the link does not mention.
import { emit } from './app-events';
import { stateToText } from './element';
import { EmbedBridge, allowedOrigins } from './embed-bridge';
import type { BridgeMethod } from './embed-bridge';
import { ImagesApp } from './images/images-app';
import { HIDEABLE_IMAGES } from './images/images-state';
import { LessonApp } from './lessons/lesson-app';
import { lessonMenu, lessonRoute } from './lessons/lesson-menu';
import { LessonNote } from './lessons/lesson-note';
import { lessonOfHash } from './lessons/lesson-state';
import { PlaygroundApp } from './playground-app';
import { SequencesApp } from './sequences/sequences-app';
import { HIDEABLE_SEQUENCES } from './sequences/sequences-state';
import { ShareDialog } from './share-dialog';
import { HIDEABLE } from './state';
import { hashStateSource } from './state-source';

type Mode = 'playground' | 'images' | 'sequences' | 'lessons';
type App = PlaygroundApp | ImagesApp | SequencesApp | LessonApp;
const hideableOf = (mode: Mode): readonly string[] => (mode === 'images' ? HIDEABLE_IMAGES : mode === 'sequences' ? HIDEABLE_SEQUENCES : HIDEABLE);
const modeOf = (text: string | null): Mode => (text === 'images' || text === 'sequences' ? text : 'playground');

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'playground', label: '2-D playground' },
  { mode: 'images', label: 'Images' },
  { mode: 'sequences', label: 'Sequences' },
];

/** Controls embed.html keeps unless the link hides them too (the Sequences mode's main view is its unrolled network). */
const EMBED_SHOWN = new Set(['playButton', 'resetButton', 'stepButton', 'trainButton', 'chart', 'charts', 'unrolled']);

class PageShell {
  private app: App | null = null;
  private mode: Mode | null = null;
  private lessonId: string | null = null;
  /** Lessons 5-7: the words and listing of the lesson whose link opened this mode's preset. */
  private note: LessonNote | null = null;
  private readonly nav: HTMLElement;
  private readonly source = hashStateSource();
  // The 2-D hash of this visit, so switching to Images and back restores it.
  private playgroundHash = '';
  private share: ShareDialog | null = null;

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
    // Lessons (lessons/lesson-table.ts): `#lesson=<id>` links; hashMode() routes them.
    this.nav.append(lessonMenu(doc));
    const shareButton = doc.createElement('button');
    shareButton.type = 'button';
    shareButton.className = 'share-button';
    shareButton.textContent = 'Share / Embed';
    shareButton.setAttribute('aria-haspopup', 'dialog');
    shareButton.addEventListener('click', () => this.openShare());
    this.nav.append(shareButton);
    root.before(this.nav);
    this.takeQuery();
    const autoplay = new URLSearchParams(this.source.read()).get('autoplay') === 'true';
    // Before the apps subscribe, so a pasted link of the other mode switches first.
    window.addEventListener('hashchange', () => this.open());
    this.open();
    if (autoplay) root.addEventListener('ready', () => this.call('play', []), { once: true });
    if (window.parent !== window) {
      const meta = doc.querySelector<HTMLMetaElement>('meta[name="nnplay-allowed-origins"]');
      const allowed = allowedOrigins(meta?.content ?? null, new URLSearchParams(location.search).get('allowedOrigins'));
      new EmbedBridge(window, root, { call: (m, a) => this.call(m, a) }, allowed);
      this.pauseWhenUnseen();
    }
  }

  /**
   * Framed: training pauses while the frame is scrolled out of the embedding page's view or
   * the tab is hidden, and resumes when seen again (if it was playing then).
   */
  private pauseWhenUnseen(): void {
    let onScreen = true;
    let resume = false;
    const update = () => {
      const app = this.app;
      if (!app) return;
      const seen = onScreen && !document.hidden;
      const playing = app instanceof PlaygroundApp ? app.playing : app.training;
      if (!seen && playing) {
        app.pause();
        resume = true;
      } else if (seen && resume) {
        resume = false;
        this.call('play', []);
      }
    };
    new IntersectionObserver((entries) => {
      onScreen = entries[entries.length - 1].isIntersecting;
      update();
    }).observe(this.root);
    document.addEventListener('visibilitychange', update);
  }

  /** A setup in the query (iframes, oEmbed) moves into the hash, where the apps read it. */
  private takeQuery(): void {
    const query = new URLSearchParams(location.search);
    query.delete('allowedOrigins');
    const embed = document.querySelector('meta[name="nnplay-embed"]') !== null;
    const params = new URLSearchParams(this.source.read() || query.toString());
    if (embed) {
      const mode = modeOf(params.get('mode'));
      for (const control of [...hideableOf(mode), 'mode']) {
        if (!params.has(`${control}_hide`) && !EMBED_SHOWN.has(control)) params.set(`${control}_hide`, 'true');
      }
    }
    const text = params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
    if (text !== this.source.read()) this.source.write(text);
  }

  private hashMode(): Mode {
    if (lessonRoute(this.source.read()) === 'here') return 'lessons';
    return modeOf(new URLSearchParams(this.source.read()).get('mode'));
  }

  private open(): void {
    // A lesson whose preset is another mode's: go to that preset.
    const route = lessonRoute(this.source.read());
    const linked = route && route !== 'here' ? lessonOfHash(this.source.read()) : undefined;
    if (route && route !== 'here') this.source.write(route.redirect);
    const text = this.source.read();
    const mode = this.hashMode();
    // The note stays while its mode does (the mode's own controls change the hash), and goes
    // with a switch of mode or another lesson.
    if (linked || mode !== this.mode) {
      this.note?.dispose();
      this.note = null;
    }
    if (linked) {
      this.note = new LessonNote(this.root.ownerDocument, linked);
      this.root.before(this.note.element);
    }
    this.nav.hidden = new URLSearchParams(text).get('mode_hide') === 'true';
    // Another lesson (the menu, a pasted link) is another LessonApp; the same one follows the hash itself.
    const lessonId = mode === 'lessons' ? new URLSearchParams(text).get('lesson') : null;
    if (mode === this.mode && lessonId === this.lessonId) return;
    this.lessonId = lessonId;
    this.app?.dispose();
    this.mode = mode;
    for (const b of this.nav.querySelectorAll<HTMLButtonElement>('button[data-mode]')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    this.app =
      mode === 'lessons'
        ? new LessonApp(this.root, { state: this.source, storageKey: 'nnplay:lessons' })
        : mode === 'images'
          ? new ImagesApp(this.root, { state: this.source, storageKey: 'nnplay:images' })
          : mode === 'sequences'
            ? new SequencesApp(this.root, { state: this.source, storageKey: 'nnplay:sequences' })
            : new PlaygroundApp(this.root, { state: this.source, storageKey: 'nnplay:playground', dropTarget: document });
    // Hooks for automation and embedding pages (the app's getters: state, generation, …).
    (window as unknown as { nnplay?: App }).nnplay = this.app;
    emit(this.root, 'statechange', { state: { mode, ...this.app.state } });
  }

  private switchTo(mode: Mode): void {
    if (mode === this.mode) return;
    if (mode !== 'playground') {
      if (this.mode === 'playground') this.playgroundHash = this.source.read();
      this.source.write(`mode=${mode}`);
    } else {
      this.source.write(this.playgroundHash);
    }
    this.open();
  }

  /** The bridge's methods, as <nn-playground> has them. */
  private call(method: BridgeMethod, args: unknown[]): unknown {
    const app = this.app;
    if (!app) throw new Error('the playground has not started');
    switch (method) {
      case 'play':
        return app instanceof PlaygroundApp ? app.play() : app.train();
      case 'pause':
        return app.pause();
      case 'step':
        return app.step();
      case 'reset':
        return app.reset();
      case 'getState':
        return { mode: this.mode, ...app.state };
      case 'setState': {
        const value = args[0];
        if (typeof value !== 'string' && (value === null || typeof value !== 'object')) throw new Error('setState takes a state object or hash text');
        const given = typeof value === 'string' ? new URLSearchParams(value.replace(/^[#?]/, '')) : new URLSearchParams(stateToText(value as Record<string, unknown>));
        const mode = given.get('mode') ?? this.mode;
        // Keys not given keep their value (in the same mode); the app validates all as a link.
        const params = new URLSearchParams(mode === this.mode ? app.stateText : '');
        for (const [k, v] of given) params.set(k, v);
        const text = params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
        if (mode === this.mode && app instanceof PlaygroundApp) app.setStateText(text);
        else location.hash = text;
        return null;
      }
    }
  }

  private openShare(): void {
    const app = this.app;
    if (!app) return;
    this.share ??= new ShareDialog(document, {
      setupText: () => {
        const p = new URLSearchParams((this.app as App).stateText);
        for (const k of [...p.keys()]) if (k.endsWith('_hide')) p.delete(k);
        return p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
      },
      hideable: () => hideableOf(this.mode ?? 'playground').filter((c) => c !== 'mode'),
      hidden: () => new Set([...new URLSearchParams(this.source.read()).entries()].filter(([k, v]) => k.endsWith('_hide') && v === 'true').map(([k]) => k.slice(0, -5))),
    }, new URL('.', location.href));
    this.share.open();
  }
}

const root = document.getElementById('app');
if (!root) throw new Error('nnplay page: missing #app');
new PageShell(root);

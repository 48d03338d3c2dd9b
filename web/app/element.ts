// <nn-playground>: the playground as a custom element (plain custom elements, light DOM), for
// pages that embed it: `import 'nnplay/playground'` then
//
//   <nn-playground id="xor" dataset="xor" network-shape="4,2" hide="noise,ratio" autoplay></nn-playground>
//
// What it is: a thin shell over the three apps (PlaygroundApp, ImagesApp, SequencesApp), which
// it roots at itself, so their events (app-events.ts: ready, epoch, trained, diverged,
// statechange, workerlost) fire on the element. Its attributes are the hash's keys in
// kebab-case, taken from the state tables (STATE_KEYS in state.ts, IMAGES_STATE_KEYS in
// images-state.ts, SEQUENCES_STATE_KEYS in sequences-state.ts), and are validated exactly as a
// link is (bad values are reported in the element and fall back).
//
// What it adds: it starts when first scrolled near the viewport (IntersectionObserver), pauses
// when off screen or when the document is hidden and resumes when back; `storage-key` (or the
// element's id) names where its trained models are kept, one slot per setup (persist.ts).
// Each element has its own worker: on this 2-core target, two trainings in one shared worker
// would run one after the other, in two workers side by side; the engine is fetched and
// compiled once per page and handed to each worker (worker/shared-engine.ts).
import { APP_EVENTS } from './app-events';
import { ImagesApp } from './images/images-app';
import type { ImageLayer } from '../worker/images-protocol';
import { IMAGES_STATE_KEYS, parseImagesHash, serializeLayers } from './images/images-state';
import { LessonApp } from './lessons/lesson-app';
import { lessonRoute } from './lessons/lesson-menu';
import { LessonNote } from './lessons/lesson-note';
import { lessonOfHash } from './lessons/lesson-state';
import { LESSON_IDS, SETTING_KEYS } from './lessons/lesson-table';
import { ID_PREFIX } from './markup';
import { PlaygroundApp } from './playground-app';
import { SequencesApp } from './sequences/sequences-app';
import { SEQUENCES_STATE_KEYS, parseSequencesHash } from './sequences/sequences-state';
import { STATE_KEYS, parseHash } from './state';
import { memoryStateSource } from './state-source';

/** The `mode` attribute's values (anything else is the 2-D playground). */
export type PlaygroundMode = 'playground' | 'images' | 'sequences';
type Mode = PlaygroundMode;
type App = PlaygroundApp | ImagesApp | SequencesApp | LessonApp;
const modeOf = (text: string | null): Mode => (text === 'images' || text === 'sequences' ? text : 'playground');

/** `networkShape` -> `network-shape`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
/** `network-shape` -> `networkShape`. */
export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Attribute name -> hash key, for every mode (one table each, no list of its own; the
 *  lessons' settings from lessons/lesson-table.ts). */
export const STATE_ATTRIBUTES: ReadonlyMap<string, string> = new Map(
  [...new Set<string>([...STATE_KEYS, ...IMAGES_STATE_KEYS, ...SEQUENCES_STATE_KEYS, ...SETTING_KEYS])].map((key) => [kebab(key), key]),
);
/** The element's own options. `lesson` takes an id of LESSONS (lessons/lesson-table.ts). */
export const OPTION_ATTRIBUTES = ['mode', 'lesson', 'hide', 'storage-key', 'autoplay'] as const;
/** What the `lesson` attribute accepts, from the same table. */
export const LESSON_ATTRIBUTE_VALUES: readonly string[] = LESSON_IDS;

/** The setup text (hash form) an element's attributes describe. */
export function attributesToText(get: (name: string) => string | null): string {
  const params = new URLSearchParams();
  const mode = get('mode');
  if (mode !== null) params.set('mode', mode);
  const lesson = get('lesson');
  if (lesson !== null) params.set('lesson', lesson);
  for (const [attribute, key] of STATE_ATTRIBUTES) {
    const value = get(attribute);
    if (value !== null) params.set(key, value);
  }
  for (const control of (get('hide') ?? '').split(/[\s,]+/).filter(Boolean)) params.set(`${camel(control)}_hide`, 'true');
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

/** A state object (whole or partial) in hash form; arrays as comma lists, layers as their text. */
export function stateToText(state: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value === undefined) continue;
    if (key === 'layers' && Array.isArray(value)) params.set(key, serializeLayers(value as ImageLayer[]));
    else params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

export class NnPlaygroundElement extends HTMLElement {
  static readonly observedAttributes = [...OPTION_ATTRIBUTES, ...STATE_ATTRIBUTES.keys()];

  private app: App | null = null;
  /** Lessons 5-7 (a lesson attribute whose preset is another mode's): its words and listing above the app. */
  private note: LessonNote | null = null;
  private mode: Mode = 'playground';
  private source = memoryStateSource();
  private intersection: IntersectionObserver | null = null;
  private onScreen = false;
  private resumeWhenVisible = false;
  private readonly onVisibility = () => this.visibilityChanged();

  connectedCallback(): void {
    this.style.display ||= 'block';
    this.intersection = new IntersectionObserver(
      (entries) => {
        this.onScreen = entries[entries.length - 1].isIntersecting;
        if (this.onScreen && !this.app) this.start();
        this.visibilityChanged();
      },
      { rootMargin: '200px' },
    );
    this.intersection.observe(this);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  disconnectedCallback(): void {
    this.intersection?.disconnect();
    this.intersection = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.app?.dispose(); // keeps the trained model first
    this.app = null;
    this.note?.dispose();
    this.note = null;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.app || old === value || name === 'autoplay') return;
    if (name === 'storage-key' || name === 'lesson' || (name === 'mode' && this.modeAttribute() !== this.mode)) {
      this.restart();
      return;
    }
    // The attributes are the whole setup (as a link is): they replace it.
    this.source.set(attributesToText((n) => this.getAttribute(n)));
  }

  // ---------------------------------------------------------------- public API

  /** Whether the app has started (it starts when first scrolled into view, or on a call). */
  get started(): boolean {
    return this.app !== null;
  }

  /** The app (for automation): PlaygroundApp, ImagesApp, SequencesApp or LessonApp; null before it starts. */
  get playground(): App | null {
    return this.app;
  }

  /** The whole setup: `mode` plus the mode's state (a copy). */
  get state(): Record<string, unknown> {
    if (this.app) return { mode: this.mode, ...this.app.state };
    // Not started yet (not scrolled into view): the setup the attributes describe.
    const text = attributesToText((n) => this.getAttribute(n));
    const mode = this.modeAttribute();
    const state = mode === 'images' ? parseImagesHash(text).state : mode === 'sequences' ? parseSequencesHash(text).state : parseHash(text, 1).state;
    return { mode, ...state };
  }

  /**
   * Changes the setup: a whole or partial state object (missing keys keep their value) or hash
   * text. Validated as a link is: bad values are reported in the element and keep their value.
   */
  set state(value: Record<string, unknown> | string) {
    this.ensureStarted();
    const text = typeof value === 'string' ? value.replace(/^[#?]/, '') : stateToText(value);
    const mode = new URLSearchParams(text).get('mode');
    if (mode !== null && mode !== this.mode) {
      this.restart(modeOf(mode), text);
      return;
    }
    this.source.set(this.mergedText(text));
  }

  play(): void {
    this.ensureStarted();
    this.resumeWhenVisible = false;
    if (this.app instanceof PlaygroundApp) this.app.play();
    else this.app?.train();
  }

  pause(): void {
    this.resumeWhenVisible = false;
    this.app?.pause();
  }

  /** One epoch: the 2-D mode trains one and shows it; the Images and Sequences modes train to the end of the next and pause. */
  step(): void {
    this.ensureStarted();
    this.app?.step();
  }

  reset(): void {
    this.ensureStarted();
    this.app?.reset();
  }

  // ---------------------------------------------------------------- internals

  private modeAttribute(): Mode {
    return modeOf(this.getAttribute('mode'));
  }

  /** The current setup with `text`'s keys applied over it. */
  private mergedText(text: string): string {
    const params = new URLSearchParams(this.app?.stateText ?? '');
    for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
    if (this.mode !== 'playground') params.set('mode', this.mode);
    else params.delete('mode');
    return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
  }

  private ensureStarted(): void {
    if (!this.app) this.start();
  }

  private storageKey(): string | null {
    const explicit = this.getAttribute('storage-key');
    if (explicit) return explicit;
    return this.id ? `nnplay:element:${this.id}` : null;
  }

  private start(mode: Mode = this.modeAttribute(), text = attributesToText((n) => this.getAttribute(n))): void {
    this.mode = mode;
    this.source = memoryStateSource(text);
    const key = this.storageKey();
    const idPrefix = this.id && ID_PREFIX.test(`${this.id}-`) ? `${this.id}-` : undefined;
    // A lesson attribute: a runnable lesson is a LessonApp; one in another mode opens its preset.
    const route = lessonRoute(text);
    this.note?.dispose();
    this.note = null;
    if (route && route !== 'here') {
      const linked = lessonOfHash(text);
      if (linked) this.note = new LessonNote(this.ownerDocument, linked, idPrefix);
      text = route.redirect;
      this.source = memoryStateSource(text);
      const redirected = new URLSearchParams(text).get('mode');
      mode = redirected === 'images' || redirected === 'sequences' ? redirected : 'playground';
      this.mode = mode;
    }
    this.app =
      route === 'here'
        ? new LessonApp(this, { state: this.source, storageKey: key && `${key}:lessons`, idPrefix })
        : mode === 'images'
          ? new ImagesApp(this, { state: this.source, storageKey: key && `${key}:images`, idPrefix })
          : mode === 'sequences'
            ? new SequencesApp(this, { state: this.source, storageKey: key && `${key}:sequences`, idPrefix })
            : new PlaygroundApp(this, { state: this.source, storageKey: key, idPrefix });
    // After the app, which may have replaced the element's children with its own.
    if (this.note) this.prepend(this.note.element);
    if (this.hasAttribute('autoplay')) {
      this.addEventListener('ready', () => (this.onScreen && !document.hidden ? this.play() : (this.resumeWhenVisible = true)), { once: true });
    }
  }

  private restart(mode?: Mode, text?: string): void {
    this.app?.dispose();
    this.app = null;
    this.start(mode, text);
  }

  /** Off screen or hidden: pause, and resume when seen again if it was playing. */
  private visibilityChanged(): void {
    const app = this.app;
    if (!app) return;
    const seen = this.onScreen && !document.hidden;
    const playing = app instanceof PlaygroundApp ? app.playing : app.training;
    if (!seen && playing) {
      app.pause();
      this.resumeWhenVisible = true;
    } else if (seen && this.resumeWhenVisible) {
      this.resumeWhenVisible = false;
      if (app instanceof PlaygroundApp) app.play();
      else app.train();
    }
  }
}

/** Registers <nn-playground> (once per page, whichever bundle comes first). */
export function definePlayground(name = 'nn-playground'): void {
  if (!customElements.get(name)) customElements.define(name, NnPlaygroundElement);
}

export { APP_EVENTS };

// What every mode's page object shares (PlaygroundApp directly; ImagesApp and SequencesApp
// through TrainingModeApp): an object rooted at an element that creates its markup inside the
// root under an id prefix of its own, finds its parts within the root, keeps its setup (with
// the `_hide` options) mirrored to its state source (URL hash, attribute or memory) and follows
// edits made there by others, owns one worker (restarted as a new one when it is lost), shows
// a dismissable message, and removes every listener, its worker and its markup in dispose().
//
// Several apps live on one page, in other tabs and in embeds without meeting: nothing here is
// global (ids carry the prefix, listeners hang on one AbortSignal, the source is the app's).
// What each mode keeps of the user's work, and how a lost worker gets its model back, differ
// (the 2-D playground keeps export-format files in localStorage and restarts on the next
// Play; the training modes keep IndexedDB records per build and restart on Train), so those
// stay with the modes.
import { emit } from './app-events';
import { ID_PREFIX } from './markup';
import { memoryStateSource } from './state-source';
import type { StateSource } from './state-source';
import { applyTheme } from './theme';
import type { Theme } from './theme';

export interface ModeAppOptions {
  /** Where the setup is read from and mirrored to (default: memory). */
  state?: StateSource;
  /** Prepended to every id the app creates (default '' when free, else the mode's numbered prefix). */
  idPrefix?: string;
  /** Colour theme: 'auto' (default) follows the system's prefers-color-scheme. */
  theme?: Theme;
}

export interface ParsedModeHash<State, Hideable> {
  state: State;
  hidden: Set<Hideable>;
  problems: string[];
  /** Whether the text gave a setup, not just the mode. */
  given: boolean;
}

/** The page's handle on a worker (ModeClient, PlaygroundClient). */
export interface WorkerHandle<To> {
  readonly isLost: boolean;
  send(message: To, transfer?: Transferable[]): void;
  terminateWorker(): void;
  dispose(): void;
}

/** The parts the base itself drives (every mode's markup has them). */
export const MODE_APP_PART_NAMES = ['message', 'message-text', 'engine-info'] as const;
export type ModeAppPartName = (typeof MODE_APP_PART_NAMES)[number];

export type ModeName = 'playground' | 'images' | 'sequences';

/** What a mode tells the base about itself. */
export interface ModeAppConfig<State, Hideable, Part extends string, To, From> {
  mode: ModeName;
  /** The class name in error messages, e.g. 'PlaygroundApp'. */
  appName: string;
  /** Every part of the mode's markup. */
  partNames: readonly Part[];
  /** The default id prefixes after '' are `${idStem}2-`, `${idStem}3-`, … */
  idStem: string;
  createMarkup(doc: Document, idPrefix: string): DocumentFragment;
  /** Source text into a setup; `current` is the setup it replaces (none at start). */
  parse(text: string, current?: State): ParsedModeHash<State, Hideable>;
  /** The setup as the source's text, with its hide options. */
  serialize(state: State, hidden: Set<Hideable>): string;
  /** The setup at start, given what the source held (e.g. the one kept from the last visit). */
  initial?(parsed: ParsedModeHash<State, Hideable>): ParsedModeHash<State, Hideable>;
  startClient(onMessage: (m: From) => void, onLost: (reason: string) => void): WorkerHandle<To>;
}

export abstract class ModeApp<State, Hideable extends string, Part extends string, To, From> {
  readonly root: HTMLElement;
  /** The prefix of every id this app created. */
  readonly idPrefix: string;

  protected readonly doc: Document;
  protected readonly ui: Record<Part | ModeAppPartName, HTMLElement>;
  protected readonly listeners = new AbortController();
  protected client: WorkerHandle<To>;
  protected _state: State;
  protected hidden: Set<Hideable>;
  protected _disposed = false;
  /** Counts models: every rebuild, reset or import starts a new generation. */
  protected _generation = 0;
  /** Whether the source held a setup at start. */
  protected readonly givenAtStart: boolean;

  readonly #base: ModeAppConfig<State, Hideable, Part, To, From>;
  readonly #source: StateSource;
  readonly #initialProblems: string[];
  #unsubscribeSource: () => void = () => {};
  #lastWritten = '';

  protected constructor(root: HTMLElement, options: ModeAppOptions, config: ModeAppConfig<State, Hideable, Part, To, From>) {
    if (!(root instanceof HTMLElement)) throw new Error(`nnplay ${config.appName}: root must be an HTMLElement, got ${root === null ? 'null' : typeof root}.`);
    this.#base = config;
    this.root = root;
    this.doc = root.ownerDocument;
    this.#source = options.state ?? memoryStateSource();
    this.idPrefix = this.#choosePrefix(options.idPrefix);
    root.replaceChildren(config.createMarkup(this.doc, this.idPrefix));
    root.classList.add('nnplay-playground', `nnplay-${config.mode}`);
    if (options.theme !== undefined) applyTheme(root, options.theme);
    this.ui = Object.fromEntries(
      this.#partNames().map((name) => {
        const e = root.querySelector<HTMLElement>(`#${CSS.escape(this.idPrefix + name)}`);
        if (!e) throw new Error(`nnplay ${config.appName}: missing part ${name}`);
        return [name, e];
      }),
    ) as Record<Part | ModeAppPartName, HTMLElement>;
    const read = config.parse(this.#source.read());
    this.givenAtStart = read.given;
    const parsed = config.initial?.(read) ?? read;
    this._state = parsed.state;
    this.hidden = parsed.hidden;
    this.#initialProblems = parsed.problems;
    this.client = this.#newClient();
  }

  // ---------------------------------------------------------------- what a mode provides

  /** The setup just replaced (at start, or from the source): show it and build from it. */
  protected abstract applyState(): void;
  /** A message from the current worker (none arrive after dispose()). */
  protected abstract onWorkerMessage(m: From): void;
  /** The current worker is gone (crashed, hung or terminated): how it was noticed, as a clause. */
  protected abstract onWorkerLost(reason: string): void;
  /** Stops the mode's timers and disposes its views (dispose() does the rest). */
  protected abstract disposeViews(): void;

  // ---------------------------------------------------------------- public (automation hooks)

  /** A copy of the current setup. */
  get state(): State {
    return structuredClone(this._state);
  }

  get generation(): number {
    return this._generation;
  }

  get disposed(): boolean {
    return this._disposed;
  }

  /** The setup as hash text (with its hide options), as links carry it. */
  get stateText(): string {
    return this.#base.serialize(this._state, this.hidden);
  }

  /** Sets the colour theme ('light', 'dark' or 'auto': the system's choice). */
  set theme(theme: Theme) {
    if (!this._disposed) applyTheme(this.root, theme);
  }

  /** For tests and automation: terminates the worker as a crash would (noticed by the heartbeat). */
  terminateWorker(): void {
    this.client.terminateWorker();
  }

  /** Stops the worker, removes every listener the app added and the elements it created. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.listeners.abort();
    this.#unsubscribeSource();
    this.disposeViews();
    this.client.dispose();
    this.root.replaceChildren();
    this.root.classList.remove('nnplay-playground', `nnplay-${this.#base.mode}`);
  }

  // ---------------------------------------------------------------- state and source

  /** The end of a mode's constructor: follow the source, say what the setup had wrong, apply it. */
  protected start(): void {
    this.#unsubscribeSource = this.#source.subscribe(() => this.#onSourceChanged());
    if (this.#initialProblems.length) this.showMessage(this.#initialProblems.join(' '));
    this.applyState();
  }

  /** Replaces the setup with source text (validated like a link) and applies it. */
  protected replaceState(text: string): void {
    const parsed = this.#base.parse(text, this._state);
    this._state = parsed.state;
    this.hidden = parsed.hidden;
    if (parsed.problems.length) this.showMessage(parsed.problems.join(' '));
    this.applyState();
  }

  /** The setup into the source; a change is announced as 'statechange' (after the source has it). */
  protected writeSource(): void {
    const { serialize, mode } = this.#base;
    const text = serialize(this._state, this.hidden);
    const changed = text !== this.#lastWritten;
    this.#lastWritten = text;
    this.#source.write(text);
    if (changed) emit(this.root, 'statechange', { state: { mode, ...(structuredClone(this._state) as unknown as Record<string, unknown>) } });
    this.sourceWritten();
  }

  /** The setup was just written to the source (a mode keeps it elsewhere too). */
  protected sourceWritten(): void {}

  /** Someone else edited the hash (or attribute) or pasted a link: apply all of it. */
  #onSourceChanged(): void {
    const text = this.#source.read();
    if (this._disposed || text === this.#lastWritten) return;
    this.replaceState(text);
  }

  // ---------------------------------------------------------------- controls and messages

  protected el<T extends HTMLElement>(name: Part | ModeAppPartName): T {
    return this.ui[name] as T;
  }

  /** A part's listener, removed in dispose(). */
  protected on<K extends keyof HTMLElementEventMap>(name: Part | ModeAppPartName, type: K, handler: (e: HTMLElementEventMap[K]) => void): void {
    this.ui[name].addEventListener(type, handler, { signal: this.listeners.signal });
  }

  protected showMessage(text: string): void {
    this.ui['message-text'].textContent = text;
    this.ui.message.hidden = false;
  }

  protected clearMessage(): void {
    this.ui.message.hidden = true;
    this.ui['message-text'].textContent = '';
  }

  /** The line under the page that says what runs the training. */
  protected showEngine(simd: boolean, threads = 1): void {
    const on = threads > 1 ? ` on ${threads} threads` : '';
    this.ui['engine-info'].textContent = `Engine: C++ compiled to WebAssembly${simd ? ' SIMD' : ''}, training in a Web Worker${on}.`;
  }

  // ---------------------------------------------------------------- the worker

  /** A new worker in place of the current one (the mode sends it what it needs). */
  protected restartClient(): void {
    this.client.dispose();
    this.client = this.#newClient();
  }

  #newClient(): WorkerHandle<To> {
    return this.#base.startClient(
      (m) => {
        if (!this._disposed) this.onWorkerMessage(m);
      },
      (reason) => {
        if (!this._disposed) this.onWorkerLost(reason);
      },
    );
  }

  #partNames(): (Part | ModeAppPartName)[] {
    return [...new Set([...this.#base.partNames, ...MODE_APP_PART_NAMES])];
  }

  #choosePrefix(asked: string | undefined): string {
    const { appName, idStem } = this.#base;
    const partNames = this.#partNames();
    const taken = (prefix: string) => partNames.find((name) => this.doc.getElementById(prefix + name));
    if (asked !== undefined) {
      if (typeof asked !== 'string' || !ID_PREFIX.test(asked)) {
        throw new Error(`nnplay ${appName}: idPrefix must be '' or a letter followed by letters, digits, '-' or '_', got ${JSON.stringify(asked)}.`);
      }
      const clash = taken(asked);
      if (clash) throw new Error(`nnplay ${appName}: idPrefix ${JSON.stringify(asked)} gives id "${asked}${clash}", which the page already has; pass another idPrefix.`);
      return asked;
    }
    for (let n = 1; ; n++) {
      const prefix = n === 1 ? '' : `${idStem}${n}-`;
      if (!taken(prefix)) return prefix;
    }
  }
}

// ---------------------------------------------------------------- helpers (DOM only)

/** The options of a select; the chosen value stays when the new list has it. */
export function fillSelect(select: HTMLSelectElement, values: readonly (string | number)[], labels?: readonly string[]): void {
  const doc = select.ownerDocument;
  const kept = select.value;
  const texts = values.map(String);
  select.replaceChildren(
    ...texts.map((v, i) => {
      const o = doc.createElement('option');
      o.value = v;
      o.textContent = labels?.[i] ?? v;
      return o;
    }),
  );
  if (texts.includes(kept)) select.value = kept;
}

/** A message as a sentence: capitalised, with a full stop. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return '';
  return (t[0].toUpperCase() + t.slice(1)).replace(/([^.!?])$/, '$1.');
}

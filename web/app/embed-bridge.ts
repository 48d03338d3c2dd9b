// The page inside an iframe, driven from the embedding page by postMessage: the same methods and
// events as <nn-playground> (play, pause, step, reset, getState, setState; ready, epoch,
// trained, diverged, statechange, workerlost).
//
//   parent -> frame  { nnplay: 'call', id, method, args? }      (id: any number or string)
//   frame -> parent  { nnplay: 'result', id, value } | { nnplay: 'result', id, error }
//   frame -> parent  { nnplay: 'event', name, detail }
//
// Origins: a message is obeyed only from an allowed origin. The allowed list is the content of
// <meta name="nnplay-allowed-origins"> (space-separated origins, or * for any; the shipped pages
// say *); the frame's URL may narrow it with allowedOrigins=<origin>,<origin> but never widen it.
// Replies and events go only to origins that have called (the first call, e.g. getState,
// subscribes), never to '*'. State set from outside is parsed exactly as a link's hash is.
import { APP_EVENTS } from './app-events';

export type BridgeMethod = 'play' | 'pause' | 'step' | 'reset' | 'getState' | 'setState';
export const BRIDGE_METHODS: readonly BridgeMethod[] = ['play', 'pause', 'step', 'reset', 'getState', 'setState'];

export interface BridgeTarget {
  call(method: BridgeMethod, args: unknown[]): unknown;
}

/** The origins allowed to drive the frame: the page's list, narrowed by the URL's. */
export function allowedOrigins(metaContent: string | null, urlParam: string | null): Set<string> | '*' {
  const page = (metaContent ?? '').split(/\s+/).filter(Boolean);
  const pageAll = page.includes('*');
  const narrowed = urlParam === null ? null : urlParam.split(',').map((o) => o.trim()).filter(Boolean);
  if (narrowed === null) return pageAll ? '*' : new Set(page);
  return new Set(pageAll ? narrowed : narrowed.filter((o) => page.includes(o)));
}

export function originAllowed(allowed: Set<string> | '*', origin: string): boolean {
  return allowed === '*' || allowed.has(origin);
}

export class EmbedBridge {
  private readonly subscribers = new Set<string>();
  private readonly abort = new AbortController();

  constructor(
    private readonly win: Window,
    private readonly eventRoot: HTMLElement,
    private readonly target: BridgeTarget,
    private readonly allowed: Set<string> | '*',
  ) {
    const signal = this.abort.signal;
    win.addEventListener('message', (e) => this.onMessage(e), { signal });
    for (const name of APP_EVENTS) {
      eventRoot.addEventListener(name, (e) => this.post({ nnplay: 'event', name, detail: (e as CustomEvent).detail }), { signal });
    }
  }

  dispose(): void {
    this.abort.abort();
  }

  private post(message: unknown): void {
    for (const origin of this.subscribers) this.win.parent.postMessage(message, origin === 'null' ? '*' : origin);
  }

  private onMessage(e: MessageEvent): void {
    const data = e.data as { nnplay?: unknown; id?: unknown; method?: unknown; args?: unknown } | null;
    if (!data || typeof data !== 'object' || data.nnplay !== 'call') return;
    if (e.source !== this.win.parent || !originAllowed(this.allowed, e.origin)) return; // not ours to obey
    this.subscribers.add(e.origin);
    const reply = (body: object) => this.win.parent.postMessage({ nnplay: 'result', id: data.id, ...body }, e.origin === 'null' ? '*' : e.origin);
    if (typeof data.method !== 'string' || !(BRIDGE_METHODS as readonly string[]).includes(data.method)) {
      reply({ error: `unknown method ${JSON.stringify(data.method)}; methods are ${BRIDGE_METHODS.join(', ')}` });
      return;
    }
    try {
      const args = Array.isArray(data.args) ? data.args : [];
      reply({ value: this.target.call(data.method as BridgeMethod, args) ?? null });
    } catch (err) {
      reply({ error: err instanceof Error ? err.message : String(err) });
    }
  }
}

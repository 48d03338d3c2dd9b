// Types of the `nnplay/playground` entry (copied to dist/playground by the element build).
/** The `mode` attribute: the 2-D playground (default), the Images mode or the Sequences mode. */
export type PlaygroundMode = 'playground' | 'images' | 'sequences';
export interface AppEventDetails {
  ready: { mode: PlaygroundMode | 'lessons'; simd?: boolean; lesson?: string };
  epoch: { epoch: number; trainLoss: number; testLoss: number };
  trained: { epoch: number; trainLoss: number; testLoss: number };
  diverged: { message: string };
  statechange: { state: Record<string, unknown> };
  workerlost: { reason: string };
}
export type AppEventName = keyof AppEventDetails;
export declare const APP_EVENTS: readonly AppEventName[];
export declare const STATE_ATTRIBUTES: ReadonlyMap<string, string>;
export declare function attributesToText(get: (name: string) => string | null): string;

export declare class NnPlaygroundElement extends HTMLElement {
  static readonly observedAttributes: string[];
  readonly started: boolean;
  get state(): Record<string, unknown>;
  set state(value: Record<string, unknown> | string);
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
  addEventListener<K extends AppEventName>(type: K, listener: (this: NnPlaygroundElement, ev: CustomEvent<AppEventDetails[K]>) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}
export declare function definePlayground(name?: string): void;

declare global {
  interface HTMLElementTagNameMap {
    'nn-playground': NnPlaygroundElement;
  }
}

// The events a playground app dispatches on its root element: the same names and details for
// the 2-D and Images modes, for <nn-playground> (whose element is the root) and for the iframe
// bridge (which forwards them to the embedding page). Plain CustomEvents, not bubbling.

export interface AppEventDetails {
  /** The engine is loaded and the app can train (a lesson: its model is built; no simd flag). */
  ready: { mode: 'playground' | 'images' | 'sequences' | 'lessons'; simd?: boolean; lesson?: string };
  /** A whole epoch more is done (at most once per snapshot): its number and losses. */
  epoch: { epoch: number; trainLoss: number; testLoss: number };
  /** Training stopped with new progress: a pause, a finished step, or (Images) the run's last epoch. */
  trained: { epoch: number; trainLoss: number; testLoss: number };
  /** The losses became NaN or infinite: what the engine said. */
  diverged: { message: string };
  /** The setup changed (a control, a link, the state property): the whole state. */
  statechange: { state: Record<string, unknown> };
  /** The training worker crashed, hung or was terminated; the next Play restarts it. */
  workerlost: { reason: string };
}
export type AppEventName = keyof AppEventDetails;

/** Every event name, for bridges that forward them all. */
export const APP_EVENTS: readonly AppEventName[] = ['ready', 'epoch', 'trained', 'diverged', 'statechange', 'workerlost'];

export function emit<K extends AppEventName>(root: HTMLElement, name: K, detail: AppEventDetails[K]): void {
  root.dispatchEvent(new CustomEvent(name, { detail }));
}

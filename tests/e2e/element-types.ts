// Type-level check (tsc in npm test): the hand-written types shipped as
// dist/playground/nnplay-playground.d.ts describe the real element and events.
import type { AppEventDetails } from '../../web/app/app-events';
import type { NnPlaygroundElement, PlaygroundMode } from '../../web/app/element';
import type { AppEventDetails as DeclaredDetails, NnPlaygroundElement as Declared, PlaygroundMode as DeclaredMode } from '../../web/app/nnplay-playground';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Api<T> = Pick<T, Extract<keyof T, 'state' | 'started' | 'play' | 'pause' | 'step' | 'reset'>>;

export const detailsMatch: Same<DeclaredDetails, AppEventDetails> = true;
export const modesMatch: Same<DeclaredMode, PlaygroundMode> = true;
// A lesson (the lesson attribute) reports mode 'lessons'; the mode attribute takes the other three.
export const readyModesMatch: Same<AppEventDetails['ready']['mode'], PlaygroundMode | 'lessons'> = true;
export const apiMatches: Same<keyof Api<Declared>, keyof Api<NnPlaygroundElement>> = true;
export const realHasDeclaredApi = (real: NnPlaygroundElement): Api<Declared> => real;

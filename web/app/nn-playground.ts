// The `nnplay/playground` entry: importing it defines <nn-playground> (element.ts).
import { definePlayground } from './element';

definePlayground();

export { NnPlaygroundElement, definePlayground, attributesToText, STATE_ATTRIBUTES } from './element';
export { APP_EVENTS } from './app-events';
export type { AppEventDetails, AppEventName } from './app-events';

// The colour theme of an app root: 'light', 'dark', or 'auto' (the system's prefers-color-scheme).
// Set as the root's data-theme attribute; style.css reads it (and a plain `theme` attribute, as a
// custom element would carry it) through color-scheme and light-dark().

export type Theme = 'light' | 'dark' | 'auto';
export const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];

export function applyTheme(root: HTMLElement, theme: Theme): void {
  if (!THEMES.includes(theme)) throw new Error(`nnplay: theme must be one of ${THEMES.join(', ')}, got ${JSON.stringify(theme)}.`);
  root.dataset.theme = theme;
}

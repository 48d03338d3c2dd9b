// The element build's stylesheets: a library bundle cannot rely on the embedding page to link
// a CSS file, so each stylesheet the apps import is added to the document once, as <style>.
// Only the `nnplay/playground` build uses this (web/app/element.vite.config.ts); the page build
// links its CSS as usual.
const added = new Set<string>();

export function injectStyle(css: string): void {
  if (typeof document === 'undefined' || added.has(css)) return;
  added.add(css);
  const style = document.createElement('style');
  style.dataset.nnplay = '';
  style.textContent = css;
  document.head.prepend(style); // first, so the embedding page's own rules win
}

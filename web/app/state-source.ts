// Where a playground's setup lives outside the app: the URL hash (a link reproduces the
// setup), an element attribute (an embedding page writes the setup into its markup), or
// plain memory. The app reads it once at start, mirrors every change into it, and re-reads
// it when someone else changes it.
//
// The text is the setup in the hash's query form without the '#'
// ("dataset=xor&networkShape=4,2&seed=7"); state.ts parses and writes it.

export interface StateSource {
  /** The current setup text, '' when there is none. */
  read(): string;
  /** Stores the setup the app shows. */
  write(text: string): void;
  /**
   * Calls `listener` when the text may have been changed by someone other than the app (the
   * app compares it with what it wrote). Returns the function that unsubscribes.
   */
  subscribe(listener: () => void): () => void;
}

/** The window's URL hash; edits and pasted links apply on `hashchange`. */
export function hashStateSource(win: Window = window): StateSource {
  return {
    read: () => win.location.hash.replace(/^#/, ''),
    write(text) {
      const hash = `#${text}`;
      // replaceState: a setup change is not a navigation step, and fires no hashchange.
      if (win.location.hash !== hash) win.history.replaceState(null, '', hash);
    },
    subscribe(listener) {
      win.addEventListener('hashchange', listener);
      return () => win.removeEventListener('hashchange', listener);
    },
  };
}

/** An attribute of an element (default `data-state`); a changed attribute applies. */
export function attributeStateSource(element: Element, name = 'data-state'): StateSource {
  return {
    read: () => element.getAttribute(name) ?? '',
    write(text) {
      if (element.getAttribute(name) !== text) element.setAttribute(name, text);
    },
    subscribe(listener) {
      const observer = new MutationObserver(listener);
      observer.observe(element, { attributes: true, attributeFilter: [name] });
      return () => observer.disconnect();
    },
  };
}

/** A source held in memory: `set()` changes it from outside, as an edited hash would. */
export interface MemoryStateSource extends StateSource {
  set(text: string): void;
}

export function memoryStateSource(initial = ''): MemoryStateSource {
  let text = initial.replace(/^#/, '');
  const listeners = new Set<() => void>();
  return {
    read: () => text,
    write(next) {
      text = next;
    },
    set(next) {
      text = next.replace(/^#/, '');
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// The playground's state sources (web/app/state-source.ts), without a browser: the hash source
// on a stand-in window, and the memory source.
import { describe, expect, it } from 'vitest';
import { hashStateSource, memoryStateSource } from '../../web/app/state-source';

/** Just enough of a Window for the hash source: location.hash, replaceState, hashchange. */
function fakeWindow(hash: string) {
  const listeners = new Set<() => void>();
  const win = {
    location: { hash },
    replaced: [] as string[],
    history: {
      replaceState(_s: unknown, _t: string, url: string) {
        win.replaced.push(url);
        win.location.hash = url;
      },
    },
    addEventListener: (type: string, l: () => void) => type === 'hashchange' && listeners.add(l),
    removeEventListener: (type: string, l: () => void) => type === 'hashchange' && listeners.delete(l),
    navigate(next: string) {
      win.location.hash = next;
      for (const l of listeners) l();
    },
    listenerCount: () => listeners.size,
  };
  return win;
}

describe('hashStateSource', () => {
  it('reads the hash without #, writes with replaceState only when it changes, and unsubscribes', () => {
    const win = fakeWindow('#dataset=xor&seed=3');
    const source = hashStateSource(win as unknown as Window);
    expect(source.read()).toBe('dataset=xor&seed=3');
    source.write('dataset=xor&seed=3');
    expect(win.replaced).toEqual([]);
    source.write('dataset=gauss');
    expect(win.replaced).toEqual(['#dataset=gauss']);
    expect(source.read()).toBe('dataset=gauss');

    let calls = 0;
    const off = source.subscribe(() => calls++);
    win.navigate('#dataset=spiral');
    expect(calls).toBe(1);
    expect(source.read()).toBe('dataset=spiral');
    off();
    expect(win.listenerCount()).toBe(0);
    win.navigate('#dataset=circle');
    expect(calls).toBe(1);
  });

  it('reads an empty or bare hash as no setup', () => {
    expect(hashStateSource(fakeWindow('') as unknown as Window).read()).toBe('');
    expect(hashStateSource(fakeWindow('#') as unknown as Window).read()).toBe('');
  });
});

describe('memoryStateSource', () => {
  it('holds what the app writes silently, and tells subscribers about set()', () => {
    const source = memoryStateSource('#seed=4');
    expect(source.read()).toBe('seed=4');
    const seen: string[] = [];
    const off = source.subscribe(() => seen.push(source.read()));
    source.write('seed=5');
    expect(source.read()).toBe('seed=5');
    expect(seen).toEqual([]); // the app's own writes do not come back to it
    source.set('#dataset=xor');
    expect(seen).toEqual(['dataset=xor']);
    off();
    source.set('dataset=gauss');
    expect(seen).toEqual(['dataset=xor']);
    expect(memoryStateSource().read()).toBe('');
  });
});

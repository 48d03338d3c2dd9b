// Per-instance, per-setup storage of trained models (persist.ts ModelSlots), without a browser:
// two setups (two tabs) and two instances never overwrite each other; old slots are evicted.
import { describe, expect, it } from 'vitest';
import { MAX_SLOTS, ModelSlots, setupId } from '../../web/app/persist';
import { defaultState } from '../../web/app/state';

function memoryStorage() {
  const m = new Map<string, string>();
  return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

describe('ModelSlots', () => {
  it('keeps one slot per instance and setup', () => {
    const storage = memoryStorage();
    const a = new ModelSlots('nnplay:playground', storage);
    const xor = { ...defaultState(1), dataset: 'xor' as const };
    const circle = defaultState(1);
    a.save(xor, 'xor model'); // tab 1
    a.save(circle, 'circle model'); // tab 2, another setup: its own slot
    expect(a.load(xor)).toBe('xor model');
    expect(a.load(circle)).toBe('circle model');
    expect(a.load(null)).toBe('circle model'); // the bare page: the latest
    const b = new ModelSlots('nnplay:element:other', storage);
    expect(b.load(xor)).toBeNull();
    b.save(xor, 'other instance');
    expect(a.load(xor)).toBe('xor model');
    a.forget(xor);
    expect(a.load(xor)).toBeNull();
    expect(a.load(null)).toBe('circle model');
  });

  it('display options share the slot; evicts beyond MAX_SLOTS', () => {
    const storage = memoryStorage();
    const s = new ModelSlots('k', storage);
    const base = defaultState(1);
    expect(setupId({ ...base, discretize: true, speed: 600, showTestData: true })).toBe(setupId(base));
    for (let seed = 0; seed < MAX_SLOTS + 3; seed++) s.save({ ...base, seed }, `m${seed}`);
    expect(s.load({ ...base, seed: 0 })).toBeNull();
    expect(s.load({ ...base, seed: MAX_SLOTS + 2 })).toBe(`m${MAX_SLOTS + 2}`);
    expect([...storage.m.keys()].filter((k) => k !== 'k:index')).toHaveLength(MAX_SLOTS);
  });

  it('moves a model kept under the bare key by an earlier version into its slot', () => {
    const storage = memoryStorage();
    storage.setItem('k', JSON.stringify({ hash: '#dataset=gauss&seed=4' }));
    const s = new ModelSlots('k', storage);
    const gauss = { ...defaultState(4), dataset: 'gauss' as const };
    expect(JSON.parse(s.load(gauss)!).hash).toBe('#dataset=gauss&seed=4');
    expect(storage.getItem('k')).toBeNull();
  });
});

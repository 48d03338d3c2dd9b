// The Sequences mode's URL-hash state, without a browser: task presets, round trips, hide
// options and forgiving parsing (a bad value is reported and falls back).
import { describe, expect, it } from 'vitest';
import { SEQUENCES_STATE_KEYS, TASK_PRESETS, parseSequencesHash, serializeSequencesHash } from '../../web/app/sequences/sequences-state';

describe('Sequences hash state', () => {
  it('a task brings its preset; keys given with it override the preset', () => {
    const { state, problems, given } = parseSequencesHash('mode=sequences&task=mnistRows&cell=gru');
    expect(problems).toEqual([]);
    expect(given).toBe(true);
    expect(state).toEqual({ task: 'mnistRows', ...TASK_PRESETS.mnistRows, cell: 'gru', seed: 1, compare: false });
  });

  it('round-trips every key and hide options', () => {
    const text = 'mode=sequences&task=text&cell=simpleRNN&units=48&layers=3&bidirectional=true&optimizer=rmsprop&learningRate=0.002&batchSize=8&epochs=2&seed=5&compare=true&generate_hide=true&mode_hide=true';
    const { state, hidden, problems } = parseSequencesHash(text);
    expect(problems).toEqual([]);
    expect([...hidden].sort()).toEqual(['generate', 'mode']);
    expect(serializeSequencesHash(state, hidden)).toBe(text);
    expect(Object.keys(state).sort()).toEqual([...SEQUENCES_STATE_KEYS].sort());
  });

  it('names bad values and keeps the defaults', () => {
    const { state, problems, given } = parseSequencesHash('mode=sequences&task=weather&cell=lstm2&units=1.5&bidirectional=yes&learningRate=0&chart_hide=true');
    expect(given).toBe(true);
    expect(state).toEqual(parseSequencesHash('mode=sequences').state);
    expect(problems).toEqual([
      'Ignored task=weather: expected one of sine, sumOfSines, adding, parity, counting, mnistRows, text.',
      'Ignored cell=lstm2: expected one of simpleRNN, lstm, gru.',
      'Ignored units=1.5: expected a whole number from 1 to 256.',
      'Ignored bidirectional=yes: expected true or false.',
      expect.stringMatching(/^Ignored learningRate=0: zero would not train/),
      expect.stringMatching(/^Ignored chart_hide=true: hideable controls are task, cell/),
    ]);
  });

  it('compare=true asks for the three cells side by side; a bad value is named', () => {
    expect(parseSequencesHash('mode=sequences&task=adding&compare=true').state).toEqual({ task: 'adding', ...TASK_PRESETS.adding, seed: 1, compare: true });
    const bad = parseSequencesHash('mode=sequences&compare=1');
    expect(bad.state.compare).toBe(false);
    expect(bad.problems).toEqual(['Ignored compare=1: expected true or false.']);
  });

  it('mode alone gives no setup (the page restores the last one kept)', () => {
    expect(parseSequencesHash('mode=sequences').given).toBe(false);
    expect(parseSequencesHash('#mode=sequences&task_hide=true').given).toBe(false);
  });
});

// The Sequences mode's UI state: one typed object, mirrored to the URL hash (so a link
// reproduces a setup) with `<control>_hide=true` options for embedding. Pure functions only.
//
// Hash keys: mode=sequences, task (sine | sumOfSines | adding | parity | counting | mnistRows |
// text), cell (simpleRNN | lstm | gru), units, layers (recurrent layers, 1-3), bidirectional
// (true | false), optimizer, learningRate, batchSize, epochs, seed, compare (true: SimpleRNN, LSTM
// and GRU side by side, web/app/sequences/compare-view.ts), and <control>_hide.
// A task given alone brings its preset (a model and settings that learn it in seconds); any
// other key given with it overrides the preset's value.
//
// Parsing is forgiving: a bad value falls back to its default and is reported.
import { SEQUENCE_CELLS, SEQUENCE_TASKS } from '../../worker/sequences-protocol';
import type { SequenceCell, SequenceTaskName } from '../../worker/sequences-protocol';
import { checkRate } from '../number-check';

export const SEQUENCES_LEARNING_RATE = { min: 1e-6, max: 10, zero: false, suggest: 0.01 };

export interface SequencesState {
  task: SequenceTaskName;
  cell: SequenceCell;
  units: number;
  layers: number;
  bidirectional: boolean;
  optimizer: string;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Compare cells: the three cell types trained side by side with these settings. */
  compare: boolean;
}

/** The hash keys besides `mode` (what parseSequencesHash reads and serializeSequencesHash writes). */
export const SEQUENCES_STATE_KEYS = ['task', 'cell', 'units', 'layers', 'bidirectional', 'optimizer', 'learningRate', 'batchSize', 'epochs', 'seed', 'compare'] as const;

export const HIDEABLE_SEQUENCES = [
  'task', 'cell', 'units', 'layers', 'bidirectional', 'optimizer', 'learningRate', 'batchSize', 'epochs',
  'trainButton', 'resetButton', 'charts', 'unrolled', 'generate', 'compareToggle',
  'mode', // the page shell's mode switch
] as const;
export type SequencesHideable = (typeof HIDEABLE_SEQUENCES)[number];

export const TASK_LABELS: Record<SequenceTaskName, string> = {
  sine: 'Sine wave: forecast the next value',
  sumOfSines: 'Sum of sines: forecast the next value',
  adding: 'Adding problem: sum the two marked values',
  parity: 'Parity: odd number of ones so far?',
  counting: 'Counting: ones so far',
  mnistRows: 'MNIST rows: a digit read row by row',
  text: 'Text: the next character (fortunes)',
};

export const CELL_LABELS: Record<SequenceCell, string> = { simpleRNN: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };

export const LIMITS = {
  units: { min: 1, max: 256 },
  layers: { min: 1, max: 3 },
  batchSize: { min: 1, max: 1024 },
  epochs: { min: 1, max: 200 },
} as const;

type Preset = Omit<SequencesState, 'task' | 'seed' | 'compare'>;
/** Per task: a model and settings that learn it in a few seconds here. */
export const TASK_PRESETS: Record<SequenceTaskName, Preset> = {
  sine: { cell: 'lstm', units: 16, layers: 1, bidirectional: false, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 10 },
  sumOfSines: { cell: 'lstm', units: 32, layers: 1, bidirectional: false, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 15 },
  adding: { cell: 'lstm', units: 16, layers: 1, bidirectional: false, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 20 },
  parity: { cell: 'gru', units: 16, layers: 1, bidirectional: false, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 20 },
  counting: { cell: 'gru', units: 16, layers: 1, bidirectional: false, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 15 },
  mnistRows: { cell: 'lstm', units: 32, layers: 1, bidirectional: false, optimizer: 'adam', learningRate: 0.005, batchSize: 64, epochs: 3 },
  text: { cell: 'lstm', units: 64, layers: 1, bidirectional: false, optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 10 },
};

export function presetState(task: SequenceTaskName, seed = 1, compare = false): SequencesState {
  return { task, ...TASK_PRESETS[task], seed, compare };
}

export function defaultSequencesState(): SequencesState {
  return presetState('sine');
}

export interface ParsedSequencesHash {
  state: SequencesState;
  hidden: Set<SequencesHideable>;
  problems: string[];
  /** Whether the text gave a setup (any state key), not just the mode. */
  given: boolean;
}

export function parseSequencesHash(text: string): ParsedSequencesHash {
  const params = new URLSearchParams(text.replace(/^#/, ''));
  const hidden = new Set<SequencesHideable>();
  const problems: string[] = [];
  const bad = (key: string, value: string, allowed: string) => problems.push(`Ignored ${key}=${value}: ${allowed}.`);
  const int = (key: string, value: string, min: number, max: number): number | undefined => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
    bad(key, value, `expected a whole number from ${min} to ${max}`);
    return undefined;
  };
  // The task first: its preset is the base the other keys override.
  const task = params.get('task');
  let state = defaultSequencesState();
  if (task !== null) {
    if ((SEQUENCE_TASKS as readonly string[]).includes(task)) state = presetState(task as SequenceTaskName);
    else bad('task', task, `expected one of ${SEQUENCE_TASKS.join(', ')}`);
  }
  let given = false;
  for (const [key, value] of params) {
    if (key.endsWith('_hide')) {
      const control = key.slice(0, -'_hide'.length);
      if (!(HIDEABLE_SEQUENCES as readonly string[]).includes(control)) bad(key, value, `hideable controls are ${HIDEABLE_SEQUENCES.join(', ')}`);
      else if (value === 'true') hidden.add(control as SequencesHideable);
      else if (value !== 'false') bad(key, value, 'expected true or false');
      continue;
    }
    if ((SEQUENCES_STATE_KEYS as readonly string[]).includes(key)) given = true;
    switch (key) {
      case 'mode':
      case 'task':
        break;
      case 'cell':
        if ((SEQUENCE_CELLS as readonly string[]).includes(value)) state.cell = value as SequenceCell;
        else bad(key, value, `expected one of ${SEQUENCE_CELLS.join(', ')}`);
        break;
      case 'units':
      case 'layers':
      case 'batchSize':
      case 'epochs': {
        const n = int(key, value, LIMITS[key].min, LIMITS[key].max);
        if (n !== undefined) state[key] = n;
        break;
      }
      case 'seed': {
        const n = int(key, value, 0, 2 ** 31 - 1);
        if (n !== undefined) state.seed = n;
        break;
      }
      case 'compare':
        if (value === 'true' || value === 'false') state.compare = value === 'true';
        else bad(key, value, 'expected true or false');
        break;
      case 'bidirectional':
        if (value === 'true' || value === 'false') state.bidirectional = value === 'true';
        else bad(key, value, 'expected true or false');
        break;
      case 'optimizer':
        if (/^[A-Za-z]+$/.test(value)) state.optimizer = value;
        else bad(key, value, 'expected an optimizer name');
        break;
      case 'learningRate': {
        const checked = checkRate(value, SEQUENCES_LEARNING_RATE);
        if ('value' in checked) state.learningRate = checked.value;
        else bad(key, value, checked.error);
        break;
      }
      default:
        bad(key, value, `unknown option; the Sequences mode's keys are ${SEQUENCES_STATE_KEYS.join(', ')} and <control>_hide`);
    }
  }
  return { state, hidden, problems, given };
}

export function serializeSequencesHash(state: SequencesState, hidden: Iterable<SequencesHideable> = []): string {
  const params = new URLSearchParams();
  params.set('mode', 'sequences');
  for (const key of SEQUENCES_STATE_KEYS) params.set(key, String(state[key]));
  for (const control of hidden) params.set(`${control}_hide`, 'true');
  return params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

// A lesson's link: `lesson=<id>` and any of the lesson's settings that differ from its preset
// (`#lesson=linear-regression&learningRate=0.5`). Pure functions (no DOM), tested in Node:
// parsing is forgiving as the playground's is (a bad value keeps the preset's and is reported),
// serializing writes only what differs, so a lesson's plain link stays `#lesson=<id>`.
import { checkRate } from '../number-check';
import { LESSON_IDS, SETTING_KEYS, lessonById, runsHere } from './lesson-table';
import type { Lesson, LessonActivation, LessonLoss, LessonOptimizer, LessonSettings, LessonVariant, SettingKey } from './lesson-table';

export const LESSON_LIMITS = {
  noise: { min: 0, max: 50 },
  classes: { min: 2, max: 8 },
  batchSize: { min: 1, max: 256 },
  hiddenLayers: { max: 4 },
  neurons: { min: 1, max: 64 },
  learningRate: { min: 1e-6, max: 10, zero: false, suggest: 0.03 },
  beta: { min: 0, max: 10 },
  l2: { min: 0, max: 1 },
  dropout: { min: 0, max: 0.9 },
  trainPoints: { min: 5, max: 300 },
} as const;

export const ACTIVATIONS: readonly LessonActivation[] = ['sigmoid', 'tanh', 'relu', 'linear'];
export const LOSSES: readonly LessonLoss[] = ['crossentropy', 'mse'];
export const OPTIMIZERS: readonly LessonOptimizer[] = ['sgd', 'adam'];
export const VARIANTS: readonly LessonVariant[] = ['vae', 'autoencoder'];

export interface ParsedLesson {
  lesson: Lesson;
  settings: LessonSettings;
  /** One line per ignored value: what was wrong and what is allowed. */
  problems: string[];
}

/** The lesson a hash names (undefined: no `lesson=` key, or an unknown id). */
export function lessonOfHash(text: string): Lesson | undefined {
  return lessonById(new URLSearchParams(text.replace(/^#/, '')).get('lesson'));
}

export function formatSetting(settings: LessonSettings, key: SettingKey): string {
  const v = settings[key];
  if (v === undefined) return '';
  return Array.isArray(v) ? v.join(',') : String(v);
}

/**
 * Parses a runnable lesson's link. An unknown id or a lesson that links elsewhere gives
 * undefined (the page shell handles those).
 */
export function parseLessonHash(text: string): ParsedLesson | undefined {
  const params = new URLSearchParams(text.replace(/^#/, ''));
  const lesson = lessonById(params.get('lesson'));
  if (!lesson || !runsHere(lesson) || !lesson.defaults) return undefined;
  const settings: LessonSettings = { ...lesson.defaults, hidden: [...lesson.defaults.hidden] };
  const problems: string[] = [];
  const bad = (key: string, value: string, allowed: string) => problems.push(`Ignored ${key}=${value}: ${allowed}.`);
  const int = (key: string, value: string, min: number, max: number): number | undefined => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return n;
    bad(key, value, `expected a whole number from ${min} to ${max}`);
    return undefined;
  };
  const unknown: string[] = [];
  for (const [key, value] of params) {
    if (key === 'lesson' || key === 'mode' || key === 'autoplay' || key.endsWith('_hide')) continue;
    switch (key as SettingKey) {
      case 'dataset': {
        const allowed = lesson.datasets ?? [lesson.defaults.dataset];
        if (allowed.includes(value)) settings.dataset = value;
        else bad(key, value, `this lesson uses ${allowed.join(', ')}`);
        break;
      }
      case 'noise': {
        const n = int(key, value, LESSON_LIMITS.noise.min, LESSON_LIMITS.noise.max);
        if (n !== undefined) settings.noise = n;
        break;
      }
      case 'classes': {
        const n = int(key, value, LESSON_LIMITS.classes.min, LESSON_LIMITS.classes.max);
        if (n !== undefined) settings.classes = n;
        break;
      }
      case 'batchSize': {
        const n = int(key, value, LESSON_LIMITS.batchSize.min, LESSON_LIMITS.batchSize.max);
        if (n !== undefined) settings.batchSize = n;
        break;
      }
      case 'seed': {
        const n = int(key, value, 0, 2 ** 31 - 1);
        if (n !== undefined) settings.seed = n;
        break;
      }
      case 'hidden': {
        const parts = value === '' ? [] : value.split(',');
        const sizes = parts.map(Number);
        const { max } = LESSON_LIMITS.hiddenLayers;
        const { min: lo, max: hi } = LESSON_LIMITS.neurons;
        if (sizes.length <= max && sizes.every((n) => Number.isInteger(n) && n >= lo && n <= hi)) settings.hidden = sizes;
        else bad(key, value, `expected up to ${max} comma-separated layer sizes from ${lo} to ${hi} (empty: no hidden layer)`);
        break;
      }
      case 'activation':
        if ((ACTIVATIONS as readonly string[]).includes(value)) settings.activation = value as LessonActivation;
        else bad(key, value, `expected one of ${ACTIVATIONS.join(', ')}`);
        break;
      case 'loss':
        if ((LOSSES as readonly string[]).includes(value)) settings.loss = value as LessonLoss;
        else bad(key, value, `expected one of ${LOSSES.join(', ')}`);
        break;
      case 'optimizer':
        if ((OPTIMIZERS as readonly string[]).includes(value)) settings.optimizer = value as LessonOptimizer;
        else bad(key, value, `expected one of ${OPTIMIZERS.join(', ')}`);
        break;
      case 'learningRate': {
        const checked = checkRate(value, LESSON_LIMITS.learningRate);
        if ('value' in checked) settings.learningRate = checked.value;
        else bad(key, value, checked.error);
        break;
      }
      case 'beta': {
        const n = Number(value);
        const { min, max } = LESSON_LIMITS.beta;
        if (lesson.defaults.beta === undefined) unknown.push(key);
        else if (value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max) settings.beta = n;
        else bad(key, value, `expected a number from ${min} to ${max}`);
        break;
      }
      case 'variant':
        if (lesson.defaults.variant === undefined) unknown.push(key);
        else if ((VARIANTS as readonly string[]).includes(value)) settings.variant = value as LessonVariant;
        else bad(key, value, `expected one of ${VARIANTS.join(', ')}`);
        break;
      case 'l2':
      case 'dropout': {
        const k = key as 'l2' | 'dropout';
        const n = Number(value);
        const { min, max } = LESSON_LIMITS[k];
        if (lesson.defaults[k] === undefined) unknown.push(key);
        else if (value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max) settings[k] = n;
        else bad(key, value, `expected a number from ${min} to ${max} (0: none)`);
        break;
      }
      case 'earlyStopping':
        if (lesson.defaults.earlyStopping === undefined) unknown.push(key);
        else if (value === 'true' || value === 'false') settings.earlyStopping = value === 'true';
        else bad(key, value, 'expected true or false');
        break;
      case 'trainPoints': {
        if (lesson.defaults.trainPoints === undefined) {
          unknown.push(key);
          break;
        }
        const n = int(key, value, LESSON_LIMITS.trainPoints.min, LESSON_LIMITS.trainPoints.max);
        if (n !== undefined) settings.trainPoints = n;
        break;
      }
      default:
        unknown.push(key);
    }
  }
  if (unknown.length) problems.push(`Ignored unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}.`);
  return { lesson, settings, problems };
}

/** `lesson=<id>` plus every setting that differs from the lesson's preset, in SETTING_KEYS order. */
export function serializeLessonHash(lesson: Lesson, settings: LessonSettings): string {
  const params = new URLSearchParams({ lesson: lesson.id });
  if (lesson.defaults) {
    for (const key of SETTING_KEYS) {
      const value = formatSetting(settings, key);
      if (value !== formatSetting(lesson.defaults, key)) params.set(key, value);
    }
  }
  return params.toString().replace(/%2C/g, ',');
}

/** Ids `lesson=` accepts, for messages. */
export function lessonIdsText(): string {
  return LESSON_IDS.join(', ');
}

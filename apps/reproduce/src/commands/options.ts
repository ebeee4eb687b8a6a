import { InvalidArgumentError } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../integrations/backend.js';
import { cliName, findModel, type ModelEntry, modelNames } from '../integrations/models.js';
import { LIMITS } from './limits.js';

/** Commander parser for an integer from `min` to `max` (both included; see LIMITS for the bounds). */
export function integerIn(min: number, max: number): (value: string) => number {
  const expected = `expected an integer from ${min} to ${max}`;
  return (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(expected);
    // Compared as a number only after the digit count: a huge value must not round to an allowed one.
    const n = Number.parseInt(value, 10);
    if (value.trim().replace(/^-?0*/, '').length > 16 || n < min || n > max) {
      throw new InvalidArgumentError(expected);
    }
    return n;
  };
}

/** Commander parser for a finite number > 0 and ≤ `max`. */
export function positiveNumberUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max)
      throw new InvalidArgumentError(`expected a number > 0 and ≤ ${max}`);
    return n;
  };
}

/** Commander parser for a seed list: "0", "0,1,2" or a range "0-4"; at most LIMITS.seedCount seeds. */
export function seedList(value: string): number[] {
  const seeds: number[] = [];
  const seed = integerIn(0, LIMITS.seed);
  const tooMany = () =>
    new InvalidArgumentError(`at most ${LIMITS.seedCount} seeds can be listed, found more in ${value}`);
  for (const part of value.split(',').map((p) => p.trim())) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [seed(range[1] ?? ''), seed(range[2] ?? '')];
      if (to < from) throw new InvalidArgumentError(`range ${part} is empty`);
      // Checked before expanding: a range of billions would exhaust memory.
      if (to - from + 1 + seeds.length > LIMITS.seedCount) throw tooMany();
      for (let s = from; s <= to; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) {
      seeds.push(seed(part));
      if (seeds.length > LIMITS.seedCount) throw tooMany();
    } else {
      throw new InvalidArgumentError('expected seeds like 0, 0,1,2 or 0-4');
    }
  }
  if (new Set(seeds).size !== seeds.length) throw new InvalidArgumentError('a seed is listed twice');
  return seeds;
}

/** Commander parser for one model name. */
export function modelName(value: string): string {
  try {
    return cliName(findModel(value));
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Commander parser for a comma-separated model list restricted to one data set. */
export function modelList(dataset: ModelEntry['dataset'] | 'any'): (value: string) => string[] {
  return (value) => {
    const names = value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (names.length === 0) throw new InvalidArgumentError('expected at least one model');
    const entries = names.map((name) => {
      const entry = tryFind(name);
      const allowed = modelNames(dataset === 'any' ? undefined : dataset);
      if (!entry || (dataset !== 'any' && entry.dataset !== dataset)) {
        throw new InvalidArgumentError(`unknown model '${name}' here (known: ${allowed.join(', ')})`);
      }
      return cliName(entry);
    });
    if (new Set(entries).size !== entries.length) throw new InvalidArgumentError('a model is listed twice');
    return entries;
  };
}

/** Commander parser for --backend. */
export function backendChoice(value: string): BackendChoice {
  if (!(BACKEND_CHOICES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
  return value as BackendChoice;
}

/** A timestamp safe in file names, e.g. 20260131-142501. */
export function timestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** The registry entry for a name, or undefined. */
function tryFind(name: string): ModelEntry | undefined {
  try {
    return findModel(name);
  } catch {
    return undefined;
  }
}

/*
 * Checks a list of faults as the --faults file, setFaults and the control
 * endpoint take it, so that a misspelt key is an error and not a fault
 * that silently never happens.
 */
import type { Fault } from './server';

const kinds: Record<keyof Fault, 'string' | 'number' | 'boolean'> = {
  path: 'string',
  delayMs: 'number',
  status: 'number',
  hang: 'boolean',
  malformed: 'boolean',
  watch: 'boolean',
  dropAfterEvents: 'number',
  stall: 'boolean',
  expire: 'boolean',
  times: 'number',
};

/** The faults, or an error naming the fault and key that is wrong. */
export function checkFaults(value: unknown): Fault[] {
  if (!Array.isArray(value))
    throw new Error('expected an array of faults, each with a "path"');
  value.forEach((f, i) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f))
      throw new Error(`fault ${i + 1}: expected an object with a "path"`);
    if (typeof f.path !== 'string')
      throw new Error(
        `fault ${i + 1}: "path" (a regular expression) is missing`,
      );
    try {
      RegExp(f.path);
    } catch (e) {
      throw new Error(
        `fault ${i + 1}: "path" is not a regular expression: ${String(e)}`,
      );
    }
    for (const [key, v] of Object.entries(f)) {
      const kind = kinds[key as keyof Fault];
      if (!kind)
        throw new Error(
          `fault ${i + 1}: unknown key "${key}" (known: ${Object.keys(
            kinds,
          ).join(', ')})`,
        );
      if (typeof v !== kind)
        throw new Error(`fault ${i + 1}: "${key}" must be a ${kind}`);
    }
  });
  return value as Fault[];
}

const watchOnlyKeys = ['dropAfterEvents', 'stall', 'expire'] as const;

/** The faults in force, with their paths compiled and their uses counted. */
export class FaultPlan {
  private readonly entries: {
    fault: Fault;
    path: RegExp;
    /** true: watches only; false: all but watches; undefined: all. */
    forWatches?: boolean;
    used: number;
  }[];

  constructor(faults: Fault[]) {
    this.entries = checkFaults(faults).map(fault => ({
      fault,
      path: new RegExp(fault.path),
      forWatches:
        fault.watch ??
        (watchOnlyKeys.some(k => fault[k] !== undefined) ? true : undefined),
      used: 0,
    }));
  }

  /** The first fault meant for this request (its path, watch or not, uses left), counted as used. */
  pick(path: string, watch: boolean): Fault | undefined {
    const entry = this.entries.find(
      e =>
        e.path.test(path) &&
        (e.forWatches === undefined || e.forWatches === watch) &&
        (e.fault.times === undefined || e.used < e.fault.times),
    );
    if (!entry) return undefined;
    entry.used++;
    return entry.fault;
  }
}

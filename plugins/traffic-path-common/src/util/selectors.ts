/*
 * Label and field selectors as the API server parses them: equality
 * (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`,
 * `!a`) requirements, comma-separated; field selectors on metadata.name and
 * metadata.namespace.
 */
import { KubeObject } from '../model';

export class SelectorError extends Error {}

type Predicate = (values: Record<string, string>) => boolean;

/** Splits on commas that are not inside parentheses. */
function requirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

const keyPattern =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, selector: string): string {
  if (!keyPattern.test(key))
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}" in "${selector}"`,
    );
  return key;
}

/** `key=value`, `key==value`, `key!=value`: label and field selectors alike. */
const equalityRequirement = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/;

function requirement(text: string, selector: string): Predicate {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const key = checkKey(set[1], selector);
    const values = set[3]
      .split(',')
      .map(v => v.trim())
      .filter(Boolean);
    return set[2] === 'in'
      ? l => l[key] !== undefined && values.includes(l[key])
      : l => l[key] === undefined || !values.includes(l[key]);
  }
  const equality = equalityRequirement.exec(text);
  if (equality) {
    const key = checkKey(equality[1], selector);
    const value = equality[3];
    return equality[2] === '!=' ? l => l[key] !== value : l => l[key] === value;
  }
  if (text.startsWith('!')) {
    const key = checkKey(text.slice(1).trim(), selector);
    return l => l[key] === undefined;
  }
  const key = checkKey(text, selector);
  return l => l[key] !== undefined;
}

export function labelSelector(
  selector: string | null,
): (o: KubeObject) => boolean {
  if (!selector) return () => true;
  const predicates = requirements(selector).map(r => requirement(r, selector));
  return o =>
    predicates.every(p =>
      p((o.metadata.labels ?? {}) as Record<string, string>),
    );
}

/**
 * True when every requirement asks for a label to be present (`a=b`,
 * `a in (x)`, `a`): then any object carrying labels that satisfy the
 * selector still satisfies it with more labels added.
 */
export function selectorIsMonotonic(selector: string): boolean {
  return requirements(selector).every(r => !/!=|\snotin\s|^!/.test(r));
}

const fields: Record<string, (o: KubeObject) => string> = {
  'metadata.name': o => o.metadata.name,
  'metadata.namespace': o => o.metadata.namespace ?? '',
};

export function fieldSelector(
  selector: string | null,
): (o: KubeObject) => boolean {
  if (!selector) return () => true;
  const predicates = requirements(selector).map(text => {
    const m = equalityRequirement.exec(text);
    if (!m) throw new SelectorError(`invalid field selector "${text}"`);
    const read = fields[m[1]];
    if (!read) throw new SelectorError(`field label not supported: ${m[1]}`);
    return m[2] === '!='
      ? (o: KubeObject) => read(o) !== m[3]
      : (o: KubeObject) => read(o) === m[3];
  });
  return o => predicates.every(p => p(o));
}

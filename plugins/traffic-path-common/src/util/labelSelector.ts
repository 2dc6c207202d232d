/*
 * Kubernetes LabelSelector objects (`matchLabels`, `matchExpressions`), as
 * NetworkPolicies and Gateway listeners use them. An empty selector selects
 * everything; the requirements of one selector are ANDed.
 */
import { isRecord } from './fields';

export type LabelSelector = {
  matches: (labels: Record<string, string>) => boolean;
  /** The label keys the selector reads (to know whether unknown labels matter). */
  keys: string[];
  /** True for `{}`: everything. */
  empty: boolean;
  /** The requirements as kubectl writes them: `app=web,tier in (a,b)`. */
  text: string;
  /** What is wrong with the selector: the field and, in words for people, why. */
  problems: { field: string; message: string }[];
};

type Requirement = (labels: Record<string, string>) => boolean;

const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function requirement(
  key: string,
  operator: string,
  values: string[],
): Requirement {
  switch (operator) {
    case 'In':
      return labels => key in labels && values.includes(labels[key]);
    case 'NotIn':
      return labels => !(key in labels) || !values.includes(labels[key]);
    case 'Exists':
      return labels => key in labels;
    default:
      return labels => !(key in labels);
  }
}

function requirementText(key: string, operator: string, values: string[]) {
  if (operator === 'Exists') return key;
  if (operator === 'DoesNotExist') return `!${key}`;
  return `${key} ${operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`;
}

/**
 * Reads a LabelSelector. Fields the API does not know are dropped by the API
 * server (and reported here); a requirement the API would refuse selects
 * nothing.
 */
export function readLabelSelector(
  value: unknown,
  field: string,
): LabelSelector {
  const problems: LabelSelector['problems'] = [];
  const requirements: Requirement[] = [];
  const keys: string[] = [];
  const texts: string[] = [];
  if (value !== undefined && value !== null && !isRecord(value)) {
    return {
      matches: () => false,
      keys: [],
      empty: false,
      text: '(invalid selector)',
      problems: [{ field, message: 'is not a label selector object' }],
    };
  }
  const selector = isRecord(value) ? value : {};
  for (const k of Object.keys(selector)) {
    if (k !== 'matchLabels' && k !== 'matchExpressions')
      problems.push({
        field: `${field}.${k}`,
        message: `is not a field of a label selector (use ${field}.matchLabels); the API server drops it, so the selector does not hold it`,
      });
  }
  const matchLabels = selector.matchLabels;
  if (isRecord(matchLabels)) {
    for (const [k, v] of Object.entries(matchLabels)) {
      keys.push(k);
      const wanted = String(v);
      texts.push(`${k}=${wanted}`);
      requirements.push(labels => labels[k] === wanted);
    }
  }
  const expressions = selector.matchExpressions;
  if (Array.isArray(expressions)) {
    expressions.forEach((e, i) => {
      const where = `${field}.matchExpressions[${i}]`;
      const key = isRecord(e) && typeof e.key === 'string' ? e.key : undefined;
      const operator =
        isRecord(e) && typeof e.operator === 'string' ? e.operator : '';
      const values =
        isRecord(e) && Array.isArray(e.values) ? e.values.map(String) : [];
      if (!key || !operators.includes(operator)) {
        problems.push({
          field: where,
          message:
            'needs a key and an operator In, NotIn, Exists or DoesNotExist: it selects nothing',
        });
        requirements.push(() => false);
        texts.push('(invalid requirement)');
        return;
      }
      keys.push(key);
      texts.push(requirementText(key, operator, values));
      requirements.push(requirement(key, operator, values));
    });
  }
  return {
    matches: labels => requirements.every(r => r(labels)),
    keys,
    empty: requirements.length === 0,
    text: texts.join(','),
    problems,
  };
}

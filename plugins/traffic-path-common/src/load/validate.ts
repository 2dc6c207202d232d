/*
 * Shape checks for the fields the engine reads. A field of the wrong type is
 * reported (naming the object and the field) and then read as absent, so
 * the object still contributes what it can.
 */
import { KubeObject } from '../model';
import { field, isRecord } from '../util/fields';

export type FieldProblem = { field: string; message: string };

type Expect = 'array' | 'object' | 'string' | 'int-or-string';

const shapes: Record<string, [string, Expect][]> = {
  Service: [
    ['spec', 'object'],
    ['spec.type', 'string'],
    ['spec.ports', 'array'],
    ['spec.selector', 'object'],
    ['spec.loadBalancerSourceRanges', 'array'],
    ['status.loadBalancer.ingress', 'array'],
  ],
  Ingress: [
    ['spec', 'object'],
    ['spec.rules', 'array'],
    ['spec.tls', 'array'],
    ['spec.ingressClassName', 'string'],
    ['status.loadBalancer.ingress', 'array'],
  ],
  Pod: [
    ['spec.containers', 'array'],
    ['status.podIP', 'string'],
    ['status.conditions', 'array'],
  ],
  EndpointSlice: [
    ['endpoints', 'array'],
    ['ports', 'array'],
  ],
  Endpoints: [['subsets', 'array']],
  Node: [['status.addresses', 'array']],
  IngressClass: [['spec.controller', 'string']],
  ConfigMap: [['data', 'object']],
};

const expectation: Record<Expect, string> = {
  array: 'an array',
  object: 'an object',
  string: 'a string',
  'int-or-string': 'an int-or-string',
};

function matches(value: unknown, expect: Expect): boolean {
  switch (expect) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    case 'string':
      return typeof value === 'string';
    default:
      return typeof value === 'string' || typeof value === 'number';
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function validateObject(obj: KubeObject): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // Own keys only: a kind named `constructor` must not find Object's.
  const shape = Object.hasOwn(shapes, obj.kind) ? shapes[obj.kind] : [];
  for (const [path, expect] of shape) {
    const value = field(obj, path);
    if (value === undefined || value === null) continue;
    if (!matches(value, expect)) {
      problems.push({
        field: path,
        message: `${path} should be ${
          expectation[expect]
        }, found ${describeType(value)}; it is ignored`,
      });
    }
  }
  for (const [label, value] of [
    ['metadata.labels', obj.metadata.labels],
    ['metadata.annotations', obj.metadata.annotations],
  ] as const) {
    if (value !== undefined && value !== null && !isRecord(value)) {
      problems.push({
        field: label,
        message: `${label} should be an object, found ${describeType(
          value,
        )}; it is ignored`,
      });
    }
  }
  return problems;
}

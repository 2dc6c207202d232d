/*
 * The exposure policy of a repository: `.traffic-path.yaml` in the current
 * directory, or the file named by --policy. Validated against its JSON Schema
 * (docs/policy.schema.json); a bad file is a usage error naming file and field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { ExposurePolicy } from '@internal/plugin-traffic-path-common';
import schema from './policy.schema.json';
import { UsageError } from './args';

export const defaultPolicyFile = '.traffic-path.yaml';

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(value: unknown) {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  return validator(value) ? [] : validator.errors ?? [];
}

/** Parses and checks a policy text; `file` names it in errors. */
export function parsePolicy(file: string, text: string): ExposurePolicy {
  let value: unknown;
  try {
    value = parse(text) ?? {};
  } catch (e) {
    throw new UsageError(
      `${file}: not valid YAML: ${
        String(e instanceof Error ? e.message : e).split('\n')[0]
      }`,
    );
  }
  const errors = validate(value);
  if (errors.length > 0) {
    const messages = errors.map(e => {
      const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${
              (e.params as { additionalProperty: string }).additionalProperty
            })`
          : '';
      const allowed =
        e.keyword === 'enum'
          ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(
              ', ',
            )}`
          : '';
      return `${file}: ${field ? `field ${field}` : 'the file'} ${
        e.message
      }${allowed}${extra}`;
    });
    throw new UsageError(
      `invalid policy (schema: docs/policy.schema.json)\n  ${[
        ...new Set(messages),
      ].join('\n  ')}`,
    );
  }
  return value as ExposurePolicy;
}

/** The policy to apply: the named file, else `.traffic-path.yaml` of cwd if there is one. */
export function loadPolicy(
  cwd: string,
  named?: string,
): { file: string; policy: ExposurePolicy } | undefined {
  const file = named ?? defaultPolicyFile;
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    if (named) throw new UsageError(`--policy ${named}: no such file`);
    return undefined;
  }
  return { file, policy: parsePolicy(file, readFileSync(path, 'utf8')) };
}

#!/usr/bin/env node
// Writes src/schema/openapi.generated.ts from src/schema/openapi.yaml: the
// spec as a typed constant for the typed router. A test fails when the two
// differ, so edit the YAML and run `yarn workspace @internal/plugin-traffic-path-backend generate:openapi`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/schema');
const spec = parse(readFileSync(join(dir, 'openapi.yaml'), 'utf8'));
export const generated = `// Generated from openapi.yaml by scripts/generate-openapi.mjs: do not edit.
/* eslint-disable */
export const spec = ${JSON.stringify(spec, null, 2)} as const;
`;
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(dir, 'openapi.generated.ts'), generated);
}

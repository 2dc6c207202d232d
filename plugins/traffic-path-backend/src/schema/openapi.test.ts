/*
 * The typed router is built from openapi.generated.ts: it must say what
 * openapi.yaml says (run `yarn workspace @internal/plugin-traffic-path-backend generate:openapi`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { spec } from './openapi.generated';

describe('OpenAPI spec', () => {
  it('is generated from openapi.yaml', () => {
    expect(spec).toEqual(
      parse(readFileSync(join(__dirname, 'openapi.yaml'), 'utf8')),
    );
  });
});

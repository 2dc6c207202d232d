/*
 * SARIF 2.1.0's own JSON Schema (test/cli/sarif-2.1.0-rtm.5.json), applied
 * by its own draft (04) with its formats checked: a result at `<stdin>` or a
 * file name with a space breaks `uri-reference`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const root = resolve(__dirname, '../../../../..');

export function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(join(root, 'test/cli/sarif-2.1.0-rtm.5.json'), 'utf8'),
  );
  // One of its patterns ([a-zA-Z]{2}]?) is not valid with the u flag: plain
  // RegExp, as JSON Schema's ECMA 262 patterns are.
  const ajv = new AjvDraft04({
    allErrors: true,
    strict: false,
    unicodeRegExp: false,
  });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** The validation errors of a SARIF log, none when it is valid. */
export function sarifErrors(log: unknown): unknown[] {
  const validate = sarifValidator();
  return validate(log) ? [] : validate.errors ?? [];
}

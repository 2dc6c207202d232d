/*
 * The `table` format of `check`, for people: one block per finding with its
 * place in the input, then the verdict.
 */
import { Severity } from '@internal/plugin-traffic-path-common';
import { summaryLine } from './github';
import { CheckResult, reaches } from './result';

const mark: Record<Severity, string> = {
  error: 'ERROR  ',
  warning: 'WARNING',
  info: 'INFO   ',
};

export function toCheckTable(result: CheckResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    const o = f.object;
    const name = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    const at = (l: { file: string; line?: number }) =>
      `${l.file}${l.line ? `:${l.line}` : ''}`;
    // A Helm template, and where the object is in the rendered input.
    const where = f.location
      ? ` at ${at(f.location)}${
          f.location.rendered ? ` (${at(f.location.rendered)})` : ''
        }`
      : '';
    lines.push(
      `${reaches(f.severity, result.failOn) ? '✗' : ' '} ${mark[f.severity]} ${
        f.code
      } (${name})${where}`,
      `            ${f.message}`,
      `            fix: ${f.hint}`,
    );
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

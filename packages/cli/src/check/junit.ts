/*
 * JUnit XML as GitLab (artifacts:reports:junit) and Jenkins (junit step)
 * read it: one test case per finding, failed when it reaches --fail-on, and
 * one case for the whole check so that a clean run is not an empty report.
 */
import { stdinName } from '../files';
import { CheckResult, reaches } from './result';

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Characters XML 1.0 cannot hold at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

export function toJunit(result: CheckResult): string {
  const cases: string[] = [];
  for (const f of result.findings) {
    const o = f.object;
    const name = `${f.code} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${
      o.name
    }`;
    const where = f.location
      ? `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}`
      : undefined;
    // Standard input is no file of the repository: its line is told in the text only.
    const file =
      f.location && f.location.file !== stdinName ? f.location : undefined;
    const attrs = [
      `name="${xml(name)}"`,
      `classname="${xml(`traffic-path.${f.severity}`)}"`,
      ...(file ? [`file="${xml(file.file)}"`] : []),
      ...(file?.line ? [`line="${file.line}"`] : []),
    ].join(' ');
    const body = `${f.message}\nFix: ${f.hint}\nSee: ${f.reproduce}${
      where ? `\nAt: ${where}` : ''
    }`;
    if (reaches(f.severity, result.failOn))
      cases.push(
        `    <testcase ${attrs}>\n      <failure message="${xml(
          f.message,
        )}" type="${xml(f.code)}">${xml(body)}</failure>\n    </testcase>`,
      );
    else
      cases.push(
        `    <testcase ${attrs}>\n      <system-out>${xml(
          `${f.severity} below --fail-on ${result.failOn}: ${body}`,
        )}</system-out>\n    </testcase>`,
      );
  }
  const summary = `    <testcase name="traffic-path check (fail on ${
    result.failOn
  })" classname="traffic-path">${
    result.failing > 0
      ? `\n      <failure message="${result.failing} finding(s) at or above ${result.failOn}" type="threshold"/>\n    `
      : ''
  }</testcase>`;
  cases.push(summary);
  const tests = cases.length;
  const failures = result.failing + (result.failing > 0 ? 1 : 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="traffic-path" tests="${tests}" failures="${failures}" errors="0">`,
    `  <testsuite name="traffic-path check" tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

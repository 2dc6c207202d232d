/*
 * GitHub Actions workflow commands: one annotation per finding, on the
 * manifest's line in the pull request's diff.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import { Severity } from '@internal/plugin-traffic-path-common';
import { stdinName } from '../files';
import { CheckResult, reaches } from './result';

const command: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
};

/** Data of a workflow command: %, CR and LF are escaped. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which separate properties. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function toGithub(result: CheckResult): string {
  const lines = result.findings.map(f => {
    const o = f.object;
    const name = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    // A line of standard input is in no file of the diff: such an annotation is on the job.
    const file =
      f.location && f.location.file !== stdinName ? f.location : undefined;
    const props = [
      ...(file ? [`file=${property(file.file)}`] : []),
      ...(file?.line ? [`line=${file.line}`] : []),
      `title=${property(`${f.code} (${name})`)}`,
    ];
    return `::${command[f.severity]} ${props.join(',')}::${data(
      `${f.message}\nFix: ${f.hint}`,
    )}`;
  });
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(result: CheckResult): string {
  const { error, warning, info } = result.counts;
  const verdict =
    result.failing > 0
      ? `FAIL: ${result.failing} finding(s) at or above ${result.failOn}`
      : `PASS: nothing at or above ${result.failOn}`;
  return `traffic-path check: ${result.routes} route(s), ${error} error(s), ${warning} warning(s), ${info} info — ${verdict}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The job summary (GITHUB_STEP_SUMMARY): the verdict and the findings at the threshold. */
export function githubStepSummary(result: CheckResult): string {
  const { error, warning, info } = result.counts;
  const lines = [
    `### Traffic Path check: ${result.failing > 0 ? 'FAIL' : 'PASS'}`,
    '',
    `${result.routes} route(s); ${error} error(s), ${warning} warning(s), ${info} info; ${result.failing} at or above \`${result.failOn}\`.`,
  ];
  const failing = result.findings.filter(f =>
    reaches(f.severity, result.failOn),
  );
  if (failing.length > 0) {
    lines.push(
      '',
      '| severity | code | object | where | message |',
      '|---|---|---|---|---|',
      ...failing.map(f => {
        const o = f.object;
        const where = f.location
          ? `\`${f.location.file}${
              f.location.line ? `:${f.location.line}` : ''
            }\``
          : '';
        return `| ${f.severity} | \`${f.code}\` | ${cell(
          `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
        )} | ${where} | ${cell(f.message)} |`;
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

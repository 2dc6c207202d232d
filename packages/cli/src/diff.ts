/*
 * `traffic-path diff <before…> -- <after…>`: what a change does to exposure,
 * from the engine's diffExposure, as a table, JSON or Markdown for a
 * pull-request comment.
 */
import {
  diffExposure,
  emptyLoadResult,
  ExposureChange,
  parseIp,
} from '@internal/plugin-traffic-path-common';
import { UsageError } from './args';
import { DiffArgs } from './commands';
import { noObjects } from './inputs';
import { summariseInWorker, summariseSide } from './side';
import type { Io } from './index';

const impactMark: Record<ExposureChange['impact'], string> = {
  risk: 'RISK',
  improvement: 'better',
  neutral: 'change',
};

function counts(changes: ExposureChange[]) {
  const c = { risk: 0, improvement: 0, neutral: 0 };
  for (const change of changes) c[change.impact]++;
  return c;
}

function summary(changes: ExposureChange[]): string {
  if (changes.length === 0) return 'No change to exposure.';
  const c = counts(changes);
  return `${changes.length} change(s) to exposure: ${c.risk} risk, ${c.improvement} improvement, ${c.neutral} neutral.`;
}

export function diffTable(changes: ExposureChange[]): string {
  const width = Math.max(0, ...changes.map(c => c.kind.length));
  const lines = changes.map(
    c =>
      `${impactMark[c.impact].padEnd(6)}  ${c.kind.padEnd(width)}  ${
        c.message
      }`,
  );
  if (lines.length > 0) lines.push('');
  lines.push(summary(changes));
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function diffMarkdown(changes: ExposureChange[]): string {
  const lines = ['### Traffic Path: exposure changes', '', summary(changes)];
  if (changes.length > 0) {
    lines.push(
      '',
      '| impact | change | entry point | what changes |',
      '|---|---|---|---|',
      ...changes.map(c => {
        const o = c.object;
        const entry = `${
          c.host !== undefined || c.path !== undefined
            ? `\`${c.host ?? '*'}${c.path ?? ''}\` `
            : ''
        }${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
        const mark = c.impact === 'risk' ? '⚠️ risk' : impactMark[c.impact];
        return `| ${mark} | \`${c.kind}\` | ${cell(entry)} | ${cell(
          c.message,
        )} |`;
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runDiff(args: DiffArgs, io: Io): Promise<number> {
  if (args.clientIp !== undefined && !parseIp(args.clientIp))
    throw new UsageError(
      `--client-ip "${args.clientIp}" is not an IPv4 or IPv6 address`,
    );
  const request = (inputs: string[]) => ({
    inputs,
    cwd: io.cwd,
    ...(args.clientIp ? { clientIp: args.clientIp } : {}),
    ...(args.namespace ? { namespace: args.namespace } : {}),
  });
  // The second side in a worker while this thread does the first.
  const inWorker = summariseInWorker(request(args.after));
  const results = [
    await summariseSide(request(args.before), io.stdin),
    await (inWorker ?? summariseSide(request(args.after), io.stdin)),
  ];
  const sides = [];
  for (const [i, result] of results.entries()) {
    const inputs = i === 0 ? args.before : args.after;
    if ('noObjects' in result)
      return noObjects(
        { ...emptyLoadResult(), errors: result.noObjects },
        inputs,
        io,
      );
    for (const e of result.inputErrors)
      io.err(
        `traffic-path: warning: ${e.source}${e.item ? ` (${e.item})` : ''}${
          e.field ? ` field ${e.field}` : ''
        }: ${e.message}\n`,
      );
    sides.push(result.summary);
  }
  const [before, after] = sides;
  const changes = diffExposure(before, after);
  if (args.format === 'json')
    io.out(
      `${JSON.stringify(
        { schemaVersion: 1, counts: counts(changes), changes, before, after },
        null,
        2,
      )}\n`,
    );
  else if (args.format === 'markdown') io.out(diffMarkdown(changes));
  else io.out(diffTable(changes));
  return args.failOnRisk && changes.some(c => c.impact === 'risk') ? 3 : 0;
}

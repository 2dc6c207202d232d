/*
 * The `table` format: a plain-text report for people in a terminal.
 */
import { Report } from '../model';
import { restrictionText, routeTitle, statusMark, verdictText } from './text';

function pad(cells: string[][]): string[] {
  const widths = cells[0].map((_, i) =>
    Math.max(...cells.map(r => r[i].length)),
  );
  return cells.map(r =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

export function toTable(report: Report): string {
  const lines: string[] = [
    `kube-proxy mode: ${report.kubeProxyMode}`,
    `routes: ${report.routes.length}, findings: ${report.findings.length}`,
    '',
  ];
  for (const route of report.routes) {
    lines.push(
      `== ${routeTitle(route)} — ${route.health.toUpperCase()}${
        route.brokenAt ? ` at ${route.brokenAt}` : ''
      }`,
    );
    for (const hop of route.hops) {
      const badge = restrictionText(hop);
      lines.push(
        `   ${hop.kind.padEnd(18)} ${statusMark(hop.status).padEnd(8)} ${
          hop.label
        }${badge ? ` [${badge}]` : ''}`,
      );
      for (const p of hop.problems ?? [])
        lines.push(`   ${''.padEnd(18)} ${''.padEnd(8)} ! ${p}`);
    }
    if (route.table.length > 0) {
      lines.push('');
      lines.push(
        ...pad([
          ['step', 'from', 'to', 'what happens'],
          ...route.table.map(r => [String(r.step), r.from, r.to, r.action]),
        ]).map(l => `   ${l}`),
      );
    }
    if (route.verdict)
      lines.push('', `   verdict: ${verdictText(route.verdict)}`);
    lines.push('');
  }
  if (report.findings.length > 0) {
    lines.push('Findings');
    for (const f of report.findings) {
      const obj = `${f.object.kind} ${
        f.object.namespace ? `${f.object.namespace}/` : ''
      }${f.object.name}`;
      lines.push(
        `  ${f.severity.toUpperCase().padEnd(7)} ${f.code} (${obj}): ${
          f.message
        }`,
        `          fix: ${f.hint}`,
        `          see: ${f.reproduce}`,
      );
    }
  }
  if (report.inputErrors.length > 0) {
    lines.push('', 'Input errors');
    for (const e of report.inputErrors)
      lines.push(
        `  ${e.source}${e.item ? ` (${e.item})` : ''}${
          e.field ? ` field ${e.field}` : ''
        }: ${e.message}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

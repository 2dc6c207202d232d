/*
 * The `markdown` format: per route its hop table, then the findings, to
 * paste into onboarding docs.
 */
import { Report } from '../model';
import { routeTitle, verdictText } from './text';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function toMarkdown(report: Report): string {
  const lines: string[] = [
    '# Traffic paths',
    '',
    `kube-proxy mode: \`${report.kubeProxyMode}\``,
    '',
  ];
  for (const route of report.routes) {
    lines.push(
      `## ${cell(routeTitle(route))}`,
      '',
      `Health: **${route.health}**${
        route.brokenAt ? ` (broken at \`${route.brokenAt}\`)` : ''
      }`,
      '',
    );
    lines.push('| step | from | to | what happens |', '|---|---|---|---|');
    for (const r of route.table)
      lines.push(
        `| ${r.step} | \`${cell(r.from)}\` | \`${cell(r.to)}\` | ${cell(
          r.action,
        )} |`,
      );
    if (route.verdict)
      lines.push('', `Verdict: ${cell(verdictText(route.verdict))}`);
    lines.push('');
  }
  lines.push('## Findings', '');
  if (report.findings.length === 0) lines.push('None.');
  else {
    lines.push(
      '| severity | code | object | message | fix |',
      '|---|---|---|---|---|',
    );
    for (const f of report.findings) {
      const obj = `${f.object.kind} ${
        f.object.namespace ? `${f.object.namespace}/` : ''
      }${f.object.name}`;
      lines.push(
        `| ${f.severity} | \`${f.code}\` | ${cell(obj)} | ${cell(
          f.message,
        )} | ${cell(f.hint)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

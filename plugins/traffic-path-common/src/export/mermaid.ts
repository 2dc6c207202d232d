/*
 * The `mermaid` format: a left-to-right flowchart of each route, for docs.
 * Labels are quoted and stripped of characters Mermaid would interpret.
 */
import { Hop, Report, Route } from '../model';
import { restrictionText, routeTitle } from './text';

function escape(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/[<>{}[\]|]/g, ' ')
    .replace(/#/g, 'nr ');
}

function nodeLabel(hop: Hop): string {
  const badge = restrictionText(hop);
  const status = hop.status === 'ok' ? '' : ` (${hop.status})`;
  return escape(
    `${hop.kind}${status}: ${hop.label}${badge ? ` — ${badge}` : ''}`,
  );
}

export function routeToMermaid(route: Route, prefix = 'r0'): string[] {
  const lines: string[] = [
    `  subgraph ${prefix}["${escape(routeTitle(route))}"]`,
    '    direction LR',
  ];
  const onPath = route.hops.filter(h => !(h.kind === 'service' && !h.onPath));
  onPath.forEach((hop, i) =>
    lines.push(`    ${prefix}h${i}["${nodeLabel(hop)}"]`),
  );
  for (let i = 1; i < onPath.length; i++)
    lines.push(`    ${prefix}h${i - 1} --> ${prefix}h${i}`);
  // A Service that is not on the way is shown aside, linked by a dotted line.
  const aside = route.hops.find(h => h.kind === 'service' && !h.onPath);
  if (aside) {
    const podIndex = onPath.findIndex(h => h.kind === 'pod');
    lines.push(`    ${prefix}svc["${nodeLabel(aside)}"]`);
    if (podIndex >= 0)
      lines.push(`    ${prefix}svc -. endpoints .- ${prefix}h${podIndex}`);
  }
  onPath.forEach((hop, i) => {
    if (hop.status === 'broken') lines.push(`    class ${prefix}h${i} broken`);
    else if (hop.status === 'degraded')
      lines.push(`    class ${prefix}h${i} degraded`);
  });
  lines.push('  end');
  return lines;
}

export function toMermaid(report: Report): string {
  const lines = [
    'flowchart LR',
    '  classDef broken fill:#fdd,stroke:#c00',
    '  classDef degraded fill:#ffd,stroke:#b80',
  ];
  report.routes.forEach((route, i) =>
    lines.push(...routeToMermaid(route, `r${i}`)),
  );
  return `${lines.join('\n')}\n`;
}

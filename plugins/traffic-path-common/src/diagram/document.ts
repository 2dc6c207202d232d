/*
 * One route as Markdown for a docs page: the engine's Markdown export (the
 * hop table, the verdict and the findings, as the CLI's `markdown` format
 * and the card's export write them) and the commands that check each hop
 * by hand.
 */
import { Finding, Report, Route } from '../model';
import { toMarkdown } from '../export/markdown';
import { hopCommands } from './commands';

/** The findings that concern a route: those naming it, and those about its backend that name no route. */
export function routeFindings(report: Report, route: Route): Finding[] {
  return report.findings.filter(
    f =>
      f.routeIds?.includes(route.id) ||
      (!f.routeIds && f.object.name === route.backend?.name),
  );
}

const fence = (command: string) => {
  // A fence longer than any run of backticks in the command, so it cannot end early.
  const longest = Math.max(
    2,
    ...(command.match(/`+/g) ?? []).map(r => r.length),
  );
  const ticks = '`'.repeat(longest + 1);
  return [`${ticks}sh`, command, ticks];
};

export function routeMarkdown(report: Report, route: Route): string {
  const page = toMarkdown({
    ...report,
    routes: [route],
    findings: routeFindings(report, route),
    inputErrors: [],
  });
  const commands = hopCommands(route, report.kubeProxyMode);
  const lines = ['## Check each hop by hand', ''];
  if (commands.length === 0)
    lines.push('No command applies to the hops of this route.', '');
  for (const c of commands)
    lines.push(`${c.title}:`, '', ...fence(c.command), '');
  return `${page.trimEnd()}\n\n${lines.join('\n').trimEnd()}\n`;
}

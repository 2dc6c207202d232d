/*
 * One route's Markdown for a docs page: the engine's Markdown export of the
 * route (hop table, findings) and the commands that check each hop.
 */
import { scenarioReport } from './__testUtils__/report';
import { hopCommands } from './commands';
import { routeFindings, routeMarkdown } from './document';

describe('routeMarkdown', () => {
  it("holds app1's hop table, only its findings and the commands that check it", () => {
    const report = scenarioReport(['seed-004/cluster']);
    const route = report.routes.find(r => r.entry.host === 'app1.qas.abc.com')!;
    const md = routeMarkdown(report, route);
    expect(md).toContain('## app1.qas.abc.com');
    expect(md).toContain('| step | from | to | what happens |');
    for (const row of route.table) expect(md).toContain(`| ${row.step} |`);
    expect(md).toContain('## Findings');
    for (const f of routeFindings(report, route)) expect(md).toContain(f.code);
    expect(md).toContain('## Check each hop by hand');
    expect(md).toContain('dig +short app1.qas.abc.com A app1.qas.abc.com AAAA');
    expect(md).toMatch(/```sh\ncurl -sv --resolve app1\.qas\.abc\.com:/);
    // The other routes of the cluster are not on this page.
    expect(md).not.toContain('app3.qas.abc.com');
    expect(md).not.toContain('undefined');
  });

  it('says the findings of a broken route with their fix', () => {
    const report = scenarioReport(['service-no-matching-pods/cluster']);
    const route = report.routes[0];
    const findings = routeFindings(report, route);
    expect(findings.length).toBeGreaterThan(0);
    const md = routeMarkdown(report, route);
    for (const f of findings) {
      expect(md).toContain(`\`${f.code}\``);
      expect(md).toContain(f.hint.split('|')[0].slice(0, 30));
    }
  });

  it('gives each command its own sh block, fenced longer than its backticks', () => {
    const report = scenarioReport(['seed-004/cluster']);
    const route = report.routes[0];
    const commands = hopCommands(route, report.kubeProxyMode);
    expect(commands.length).toBeGreaterThan(0);
    const md = routeMarkdown(report, route);
    expect(md.match(/^```sh$/gm)).toHaveLength(commands.length);
    const odd = routeMarkdown(
      { ...report, routes: [route] },
      {
        ...route,
        entry: { ...route.entry, host: 'a```b.example.com' },
      },
    );
    expect(odd).toContain('````sh\ndig +short a```b.example.com');
  });
});

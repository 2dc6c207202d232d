/*
 * The exposure summaries as a report: CSV (one row per entry point, for a
 * spreadsheet) or Markdown (a table per owner, for a review document).
 */
import { ruleText } from '@internal/plugin-traffic-path-common';
import { StoredEntry, StoredSummary } from '../../database/exposureStore';

const COLUMNS = [
  'entityRef',
  'owner',
  'system',
  'cluster',
  'scannedAt',
  'host',
  'path',
  'port',
  'exposure',
  'loadBalancer',
  'sourceRestriction',
  'rules',
  'tls',
  'networkPolicy',
  'errors',
  'warnings',
  'info',
  'scanError',
] as const;

type Row = Record<(typeof COLUMNS)[number], string>;

function loadBalancerText(e: StoredEntry): string {
  const lb = e.loadBalancer;
  if (!lb) return '';
  const name = lb.object
    ? `${lb.object.namespace ? `${lb.object.namespace}/` : ''}${lb.object.name}`
    : lb.provider;
  const addresses = lb.addresses.join(' ') || '(no address)';
  return `${name} ${addresses}${lb.id ? ` (${lb.id})` : ''}`;
}

function sourceRestrictionText(e: StoredEntry): string {
  const kind = e.sourceRestriction.kind;
  return kind === 'none' && e.exposure === 'public'
    ? 'none (open to the internet)'
    : kind;
}

/** Why the last scan of the summary's cluster failed, and when; empty when it did not. */
function scanErrorText(s: StoredSummary): string {
  return s.error
    ? `${s.error.reason} at ${s.error.at}: ${s.error.message}`
    : '';
}

function rowsOf(summary: StoredSummary): Row[] {
  const base = {
    entityRef: summary.entityRef,
    owner: summary.owner ?? '',
    system: summary.system ?? '',
    cluster: summary.cluster,
    scannedAt: summary.scannedAt ?? 'never',
    scanError: scanErrorText(summary),
  };
  const empty = {
    host: '',
    path: '',
    port: '',
    exposure: '',
    loadBalancer: '',
    sourceRestriction: '',
    rules: '',
    tls: '',
    networkPolicy: '',
    errors: '',
    warnings: '',
    info: '',
  };
  if (!summary.entries.length) return [{ ...base, ...empty }];
  return summary.entries.map(e => ({
    ...base,
    host: e.host ?? '',
    path: e.path ?? '',
    port: e.port !== undefined ? String(e.port) : '',
    exposure: e.exposure,
    loadBalancer: loadBalancerText(e),
    sourceRestriction: sourceRestrictionText(e),
    rules: e.sourceRestriction.rules.map(ruleText).join('; '),
    tls: e.tls ? 'yes' : 'no',
    networkPolicy: e.networkPolicy?.verdict ?? 'unknown',
    errors: String(e.findings.error),
    warnings: String(e.findings.warning),
    info: String(e.findings.info),
  }));
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with '. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function exposureCsv(summaries: StoredSummary[]): string {
  const lines = [COLUMNS.join(',')];
  for (const s of summaries)
    for (const row of rowsOf(s))
      lines.push(COLUMNS.map(c => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function mdCell(value: string): string {
  return (value || '—').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function placeOf(r: Row): string {
  if (r.host || r.path) return `${r.host || '*'}${r.path}`;
  return r.port ? `port ${r.port}` : '';
}

const MD_COLUMNS: [string, (r: Row) => string][] = [
  ['Entity', r => r.entityRef],
  ['Cluster', r => r.cluster],
  ['Host and path', placeOf],
  ['Exposure', r => r.exposure],
  ['Load balancer', r => r.loadBalancer],
  ['Source restriction', r => r.sourceRestriction],
  ['TLS', r => r.tls],
  ['NetworkPolicy', r => r.networkPolicy],
  [
    'Findings (error/warning/info)',
    r => (r.errors ? `${r.errors}/${r.warnings}/${r.info}` : ''),
  ],
  ['Last seen', r => r.scannedAt],
];

export function exposureMarkdown(
  summaries: StoredSummary[],
  generatedAt: Date,
): string {
  const byOwner = new Map<string, StoredSummary[]>();
  for (const s of summaries) {
    const owner = s.owner ?? '(no owner)';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), s]);
  }
  const out = [
    '# Exposure review',
    '',
    `Generated ${generatedAt.toISOString()} from the stored summaries.`,
  ];
  if (!summaries.length) out.push('', 'No entities match.');
  for (const [owner, list] of [...byOwner].sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    out.push('', `## ${mdCell(owner)}`, '');
    out.push(`| ${MD_COLUMNS.map(([h]) => h).join(' | ')} |`);
    out.push(`| ${MD_COLUMNS.map(() => '---').join(' | ')} |`);
    for (const s of list) {
      for (const row of rowsOf(s))
        out.push(
          `| ${MD_COLUMNS.map(([, f]) => mdCell(f(row))).join(' | ')} |`,
        );
      if (s.error)
        out.push(
          `| ${mdCell(s.entityRef)} | ${mdCell(
            s.cluster,
          )} | last scan failed: ${mdCell(scanErrorText(s))} |${' |'.repeat(
            MD_COLUMNS.length - 3,
          )}`,
        );
    }
  }
  return `${out.join('\n')}\n`;
}

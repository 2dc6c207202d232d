/*
 * SARIF 2.1.0 (GitHub code scanning, GitLab, Azure DevOps): one rule per
 * finding code with its fix and documentation, one result per finding at the
 * object's file and line.
 */
import { createHash } from 'node:crypto';
import { ExposurePolicy, Severity } from '@internal/plugin-traffic-path-common';
import { stdinName } from '../files';
import { allRules, CheckResult } from './result';

/** The parts of SARIF 2.1.0 written here; the tests validate the output against the schema. */
type Level = 'error' | 'warning' | 'note';
type ReportingDescriptor = {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: Level };
};
type Result = {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: {
    physicalLocation?: {
      artifactLocation: { uri: string };
      region?: { startLine: number };
    };
    logicalLocations: {
      name: string;
      fullyQualifiedName: string;
      kind: string;
    }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
};
type Log = {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: {
      driver: { name: string; version: string; rules: ReportingDescriptor[] };
    };
    results: Result[];
  }[];
};

/** A file name as a relative URI reference: each segment percent-encoded (spaces, `#`, `%`, `:`). */
function uriOf(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

const level: Record<Severity, Level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export type SarifOptions = {
  /** Absolute URL of docs/findings.md, for the rules' helpUri. */
  docsUrl?: string;
  version: string;
  /** The policy applied: its rules' severities are the POLICY_* rules' default levels. */
  policy?: ExposurePolicy;
};

export function toSarif(result: CheckResult, options: SarifOptions): string {
  const rules = allRules(options.policy);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const descriptors: ReportingDescriptor[] = rules.map(r => ({
    id: r.id,
    name: r.id
      .toLowerCase()
      .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
      .replace(/^[a-z]/, c => c.toUpperCase()),
    shortDescription: { text: r.hint.split(/(?<=\.)\s/)[0] },
    fullDescription: { text: r.hint },
    help: {
      text: `${r.hint} See docs/findings.md#${r.anchor}.`,
      markdown: `${r.hint}\n\nSee [${r.id}](docs/findings.md#${r.anchor}).`,
    },
    ...(options.docsUrl ? { helpUri: `${options.docsUrl}#${r.anchor}` } : {}),
    defaultConfiguration: { level: level[r.severity] },
  }));
  const results: Result[] = result.findings.map(f => {
    const o = f.object;
    const name = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    return {
      ruleId: f.code,
      ruleIndex: index.get(f.code) ?? -1,
      level: level[f.severity],
      message: { text: `${name}: ${f.message}` },
      locations: [
        {
          // Standard input is no artifact: such a result has its logical location only.
          ...(f.location && f.location.file !== stdinName
            ? {
                physicalLocation: {
                  artifactLocation: { uri: uriOf(f.location.file) },
                  ...(f.location.line
                    ? { region: { startLine: f.location.line } }
                    : {}),
                },
              }
            : {}),
          logicalLocations: [
            { name: o.name, fullyQualifiedName: name, kind: 'object' },
          ],
        },
      ],
      // Code and object: the same finding keeps its identity when lines move.
      partialFingerprints: {
        'trafficPath/v1': createHash('sha256')
          .update(`${f.code}|${name}|${f.message}`)
          .digest('hex')
          .slice(0, 32),
      },
      properties: {
        hint: f.hint,
        reproduce: f.reproduce,
        ...(f.routeIds ? { routeIds: f.routeIds } : {}),
        ...(f.hop ? { hop: f.hop } : {}),
      },
    };
  });
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'traffic-path',
            version: options.version,
            rules: descriptors,
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

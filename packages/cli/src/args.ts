/*
 * Command-line arguments of `traffic-path`. Usage errors are thrown as
 * UsageError and end the process with exit code 2.
 */
import { parseIp } from '@internal/plugin-traffic-path-common';

export class UsageError extends Error {}

export const commandsUsage = `       traffic-path check <file-or-dir…|-> [--fail-on error|warning|info]
                          [--format table|json|sarif|junit|github] [--policy F] [--platform F…] [--namespace N] [--root D] [--source-root D] [--docs-url U]
       traffic-path diff [--format table|json|markdown] [--client-ip IP] [--fail-on-risk] [--namespace N]
                         <before…> -- <after…>
       traffic-path docs <file-or-dir…|--kubeconfig F [--context C]> [--catalog F…] --out DIR`;

const commandsText = `check: the findings as a gate. Exit 0 when no finding reaches --fail-on
  (default error), 3 when one does. "-" reads standard input. The policy is
  --policy F, else .traffic-path.yaml of the current directory if present.
  --platform F: objects the trace needs (ingress controllers, nodes) whose
  own findings the gate does not judge. --docs-url U: the absolute URL of
  docs/findings.md, for the SARIF rules' helpUri. --root D: file names in
  SARIF, JUnit and GitHub output relative to D (default: GITHUB_WORKSPACE or
  CI_PROJECT_DIR when set, else the current directory). --source-root D:
  where the charts of \`helm template\`'s "# Source:" comments are (the
  chart's parent directory or the chart; default: the current directory):
  findings are located at the template when it is there. --namespace N: the
  namespace of manifests that name none (default: default), as for
  \`helm template\` without --namespace or \`kubectl apply -n N\`.
diff: what a change does to exposure (entry points added or removed, public
  or internal, restrictions, TLS, blocked routes). Exit 0, or 3 with
  --fail-on-risk when a change widens exposure or breaks something.
docs: one Markdown page per catalog entity (or per Service without
  --catalog) and an index, written to --out.`;

export type Format = 'table' | 'json' | 'mermaid' | 'markdown';

export type TraceArgs = {
  command: 'trace';
  inputs: string[];
  host?: string;
  path?: string;
  clientIp?: string;
  format: Format;
  /** Live mode: read the cluster of this kubeconfig instead of files. */
  kubeconfig?: string;
  context?: string;
  /**
   * Live: read only this namespace. Files: the namespace of objects that
   * name none (default: default), as `check --namespace` means.
   */
  namespace?: string;
};

export type ParsedArgs = TraceArgs | { command: 'help' };

export const usage = `Usage: traffic-path trace <file-or-dir…> [options]
       traffic-path trace --kubeconfig <file> [--context C] [--namespace N] [options]
${commandsUsage}

trace: resolves the routes external requests take to reach containers, from
  Kubernetes objects as \`kubectl get -o json|yaml\` prints them, or read
  live from the cluster of a kubeconfig.
${commandsText}

Options of trace:
  --kubeconfig F   read the cluster of kubeconfig F (its current context)
  --context C      the kubeconfig context to use
  --namespace N    with --kubeconfig: read only namespace N (plus controllers,
                   nodes, Services); with files: the namespace of manifests
                   that name none (default: default), as for check
  --host H         only the routes a request for host H reaches
  --path P         only the routes a request for path P reaches
  --client-ip IP   evaluate each route for a client at IP (IPv4 or IPv6)
  --format F       table (default), json, mermaid or markdown
  -h, --help       this help

Exit codes: 0 success (trace: with or without findings), 3 check: a finding
reaches --fail-on, 2 unusable input or usage, 1 internal error.`;

const formats: Format[] = ['table', 'json', 'mermaid', 'markdown'];
const valued = new Set([
  '--host',
  '--path',
  '--client-ip',
  '--format',
  '--kubeconfig',
  '--context',
  '--namespace',
]);

export function parseArgs(argv: string[]): ParsedArgs {
  if (
    argv.length === 0 ||
    argv.includes('-h') ||
    argv.includes('--help') ||
    argv[0] === 'help'
  )
    return { command: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'trace') throw new UsageError(`unknown command "${command}"`);
  const options: Record<string, string> = {};
  const inputs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg.startsWith('--')) {
      const [name, inline] = arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
      if (!valued.has(name)) throw new UsageError(`unknown option ${name}`);
      const value = inline ?? rest[++i];
      if (value === undefined || value === '')
        throw new UsageError(`${name} needs a value`);
      options[name] = value;
    } else {
      inputs.push(arg);
    }
  }
  const kubeconfig = options['--kubeconfig'];
  if (kubeconfig && inputs.length > 0)
    throw new UsageError('give files or --kubeconfig, not both');
  if (!kubeconfig && options['--context'])
    throw new UsageError('--context needs --kubeconfig');
  if (!kubeconfig && inputs.length === 0)
    throw new UsageError(
      'no input: name at least one file or directory, or --kubeconfig',
    );
  const format = (options['--format'] ?? 'table') as Format;
  if (!formats.includes(format))
    throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  const clientIp = options['--client-ip'];
  if (clientIp !== undefined && !parseIp(clientIp))
    throw new UsageError(
      `--client-ip "${clientIp}" is not an IPv4 or IPv6 address`,
    );
  return {
    command: 'trace',
    inputs,
    host: options['--host'],
    path: options['--path'],
    clientIp,
    format,
    ...(options['--namespace'] ? { namespace: options['--namespace'] } : {}),
    ...(kubeconfig ? { kubeconfig, context: options['--context'] } : {}),
  };
}

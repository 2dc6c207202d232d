/*
 * Arguments of `check`, `diff` and `docs`, parsed with Node's own
 * util.parseArgs (strict: unknown options are usage errors; `--` splits the
 * two sides of `diff`). `trace` keeps its parser in args.ts.
 */
import { parseArgs } from 'node:util';
import { Severity } from '@internal/plugin-traffic-path-common';
import { UsageError } from './args';

export type CheckFormat = 'table' | 'json' | 'sarif' | 'junit' | 'github';
export type DiffFormat = 'table' | 'json' | 'markdown';

export type CheckArgs = {
  command: 'check';
  inputs: string[];
  failOn: Severity;
  format: CheckFormat;
  policy?: string;
  docsUrl?: string;
  /** Files of the platform (controllers, nodes): read for the trace, their own findings not gated. */
  platform: string[];
  /** File names in SARIF, JUnit and GitHub output are relative to this directory. */
  root?: string;
  /** The namespace of manifests that name none (`helm template` without --namespace). */
  namespace?: string;
  /** Where the charts of `helm template`'s `# Source:` comments are (default: the current directory). */
  sourceRoot?: string;
};

export type DiffArgs = {
  command: 'diff';
  before: string[];
  after: string[];
  format: DiffFormat;
  clientIp?: string;
  /** Exit 3 when a change is a risk (a gate that asks for a second look). */
  failOnRisk: boolean;
  /** The namespace of manifests that name none. */
  namespace?: string;
};

export type DocsArgs = {
  command: 'docs';
  inputs: string[];
  kubeconfig?: string;
  context?: string;
  catalog: string[];
  out: string;
};

function pick<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function parse(
  argv: string[],
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>,
) {
  try {
    return parseArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (e) {
    // Node's messages name the option; drop its advice about `--`.
    throw new UsageError(
      String(e instanceof Error ? e.message : e).split('. To specify')[0],
    );
  }
}

export function parseCheck(argv: string[]): CheckArgs {
  const { values, positionals } = parse(argv, {
    'fail-on': { type: 'string' },
    format: { type: 'string' },
    policy: { type: 'string' },
    'docs-url': { type: 'string' },
    platform: { type: 'string', multiple: true },
    root: { type: 'string' },
    namespace: { type: 'string' },
    'source-root': { type: 'string' },
  });
  if (positionals.length === 0)
    throw new UsageError(
      'check: name at least one file or directory, or - for standard input',
    );
  if (values['source-root'] === '')
    throw new UsageError('--source-root needs a directory');
  return {
    command: 'check',
    inputs: positionals,
    failOn: pick(
      'fail-on',
      values['fail-on'] as string | undefined,
      ['error', 'warning', 'info'] as const,
      'error',
    ),
    format: pick(
      'format',
      values.format as string | undefined,
      ['table', 'json', 'sarif', 'junit', 'github'] as const,
      'table',
    ),
    ...(values.policy ? { policy: values.policy as string } : {}),
    ...(values['docs-url'] ? { docsUrl: values['docs-url'] as string } : {}),
    platform: (values.platform as string[] | undefined) ?? [],
    ...(values.root ? { root: values.root as string } : {}),
    ...(values.namespace ? { namespace: values.namespace as string } : {}),
    ...(values['source-root']
      ? { sourceRoot: values['source-root'] as string }
      : {}),
  };
}

export function parseDiff(argv: string[]): DiffArgs {
  const { values, positionals, tokens } = parse(argv, {
    format: { type: 'string' },
    'client-ip': { type: 'string' },
    'fail-on-risk': { type: 'boolean' },
    namespace: { type: 'string' },
  });
  const terminator = tokens.findIndex(t => t.kind === 'option-terminator');
  if (terminator < 0)
    throw new UsageError(
      'diff: separate the two states with --: diff <before…> -- <after…>',
    );
  const split = tokens
    .slice(0, terminator)
    .filter(t => t.kind === 'positional').length;
  const before = positionals.slice(0, split);
  const after = positionals.slice(split);
  const late = after.find(a => a.startsWith('--'));
  if (late)
    throw new UsageError(
      `diff: options go before --, and ${late} comes after it`,
    );
  if (before.length === 0 || after.length === 0)
    throw new UsageError(
      'diff: name the files of both states: diff <before…> -- <after…>',
    );
  return {
    command: 'diff',
    before,
    after,
    format: pick(
      'format',
      values.format as string | undefined,
      ['table', 'json', 'markdown'] as const,
      'table',
    ),
    ...(values['client-ip'] ? { clientIp: values['client-ip'] as string } : {}),
    failOnRisk: values['fail-on-risk'] === true,
    ...(values.namespace ? { namespace: values.namespace as string } : {}),
  };
}

export function parseDocs(argv: string[]): DocsArgs {
  const { values, positionals } = parse(argv, {
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    catalog: { type: 'string', multiple: true },
    out: { type: 'string' },
  });
  const kubeconfig = values.kubeconfig as string | undefined;
  if (kubeconfig && positionals.length > 0)
    throw new UsageError('docs: give files or --kubeconfig, not both');
  if (!kubeconfig && positionals.length === 0)
    throw new UsageError(
      'docs: name at least one file or directory, or --kubeconfig',
    );
  if (values.context && !kubeconfig)
    throw new UsageError('--context needs --kubeconfig');
  if (!values.out) throw new UsageError('docs: --out DIR is needed');
  return {
    command: 'docs',
    inputs: positionals,
    ...(kubeconfig
      ? { kubeconfig, context: values.context as string | undefined }
      : {}),
    catalog: (values.catalog as string[] | undefined) ?? [],
    out: values.out as string,
  };
}

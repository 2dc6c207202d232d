/*
 * `traffic-path`: the Traffic Path engine on the command line.
 */
import { resolve } from 'node:path';
import {
  resolveReport,
  toMarkdown,
  toMermaid,
  toTable,
  Report,
} from '@internal/plugin-traffic-path-common';
import { Format, parseArgs, usage, UsageError } from './args';
import { runCheck } from './check/run';
import { parseCheck, parseDiff, parseDocs } from './commands';
import { runDiff } from './diff';
import { runDocs } from './docs/run';
import { loadInputs } from './files';
import { isLiveInputError, readLiveCluster } from './liveLazy';
import { version } from '../package.json';

export type Io = {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  /** Standard input, read whole; `-` among the inputs reads it. */
  stdin?: () => Promise<string>;
};

/** The commands with their own parsers (commands.ts). */
async function runCommand(argv: string[], io: Io): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (rest.includes('-h') || rest.includes('--help')) return undefined;
  if (command === 'check') return runCheck(parseCheck(rest), io, version);
  if (command === 'diff') return runDiff(parseDiff(rest), io);
  if (command === 'docs') return runDocs(parseDocs(rest), io);
  return undefined;
}

const render: Record<Format, (r: Report) => string> = {
  table: toTable,
  json: r => `${JSON.stringify(r, null, 2)}\n`,
  mermaid: toMermaid,
  markdown: toMarkdown,
};

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const code = await runCommand(argv, io);
    if (code !== undefined) return code;
    const args = parseArgs(argv);
    if (args.command === 'help') {
      io.out(`${usage}\n`);
      return 0;
    }
    let load;
    if (args.kubeconfig) {
      const live = await readLiveCluster({
        kubeconfig: resolve(io.cwd, args.kubeconfig),
        context: args.context,
        namespace: args.namespace,
      });
      live.warnings.forEach(w => io.err(`traffic-path: warning: ${w}\n`));
      load = live.load;
    } else {
      load = loadInputs(args.inputs, io.cwd);
      if (load.objects.length === 0) {
        const why = load.errors
          .map(
            e => `  ${e.source}${e.item ? ` (${e.item})` : ''}: ${e.message}`,
          )
          .join('\n');
        io.err(
          `traffic-path: no Kubernetes objects in ${args.inputs.join(', ')}${
            why ? `\n${why}` : ''
          }\n`,
        );
        return 2;
      }
    }
    const report = resolveReport(load, {
      host: args.host,
      path: args.path,
      clientIp: args.clientIp,
      // Live objects carry their namespace; files may not (helm template).
      ...(args.namespace && !args.kubeconfig
        ? { namespace: args.namespace }
        : {}),
    });
    io.out(render[args.format](report));
    if (args.format !== 'table') {
      for (const e of report.inputErrors)
        io.err(
          `traffic-path: warning: ${e.source}${e.item ? ` (${e.item})` : ''}${
            e.field ? ` field ${e.field}` : ''
          }: ${e.message}\n`,
        );
    }
    return 0;
  } catch (e) {
    if (isLiveInputError(e)) {
      io.err(`traffic-path: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`traffic-path: ${e.message}\n\n${usage}\n`);
      return 2;
    }
    io.err(
      `traffic-path: internal error: ${
        e instanceof Error ? e.stack : String(e)
      }\n`,
    );
    return 1;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function run(argv: string[]): void {
  main(argv, {
    out: t => process.stdout.write(t),
    err: t => process.stderr.write(t),
    cwd: process.cwd(),
    stdin: readStdin,
  }).then(code => {
    process.exitCode = code;
  });
}

export { loadInputs } from './files';

/*
 * `demo-cluster serve <file-or-dir…> [--port N] [--host H] [--token T]
 *  [--latency MS] [--faults FILE]`: serves the objects of the files as a
 * read-only Kubernetes API and prints a line when ready.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadInputs } from '@internal/traffic-path-cli';
import { Fault, startDemoCluster } from './server';

const usage = `Usage: demo-cluster serve <file-or-dir…> [--port N] [--host 127.0.0.1] [--token T] [--latency MS] [--faults faults.json] [--ca-out FILE] [--insecure-http true]

Serves Kubernetes objects (kubectl get -o json|yaml dumps, scenario files) as a
read-only Kubernetes API. --faults names a JSON array of
{ "path": "<regex>", "delayMs"?: n, "status"?: 500|403, "hang"?: true, "malformed"?: true }.`;

function fail(message: string): never {
  process.stderr.write(`demo-cluster: ${message}\n\n${usage}\n`);
  process.exit(2);
}

export async function run(argv: string[]): Promise<void> {
  if (argv[0] !== 'serve')
    fail(argv[0] ? `unknown command "${argv[0]}"` : 'no command');
  const options: Record<string, string> = {};
  const inputs: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      if (argv[i + 1] === undefined) fail(`${argv[i]} needs a value`);
      options[argv[i]] = argv[++i];
    } else {
      inputs.push(argv[i]);
    }
  }
  const known = [
    '--port',
    '--host',
    '--token',
    '--latency',
    '--faults',
    '--ca-out',
    '--insecure-http',
  ];
  const unknown = Object.keys(options).find(o => !known.includes(o));
  if (unknown) fail(`unknown option ${unknown}`);
  if (inputs.length === 0) fail('name at least one file or directory to serve');
  let load;
  try {
    load = loadInputs(inputs);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  for (const e of load.errors)
    process.stderr.write(
      `demo-cluster: warning: ${e.source}${e.item ? ` (${e.item})` : ''}: ${
        e.message
      }\n`,
    );
  let faults: Fault[] = [];
  if (options['--faults']) {
    try {
      faults = JSON.parse(readFileSync(options['--faults'], 'utf8'));
    } catch (e) {
      fail(`cannot read --faults ${options['--faults']}: ${String(e)}`);
    }
  }
  const cluster = await startDemoCluster(
    {
      objects: load.objects,
      token: options['--token'],
      latencyMs: Number(options['--latency'] ?? 0),
      faults,
      insecureHttp: options['--insecure-http'] === 'true',
    },
    Number(options['--port'] ?? 0),
    options['--host'] ?? '127.0.0.1',
  );
  if (options['--ca-out'] && cluster.certificate)
    writeFileSync(options['--ca-out'], cluster.certificate);
  process.stdout.write(
    `demo-cluster: serving ${load.objects.length} objects at ${cluster.url}${
      options['--token'] ? ' (bearer token required)' : ''
    }\n`,
  );
  const stop = () => cluster.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/*
 * The check, diff and docs examples of docs/cli.md run, with the exit code
 * their comment says (`# exit 3`; none: 0). docs writes into a temporary
 * directory instead of the one the example names.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from './index';

// Each case traces whole scenarios; the full suite runs them all at once on two cores.
jest.setTimeout(60_000);

const root = resolve(__dirname, '../../..');

describe('docs/cli.md examples of check, diff and docs', () => {
  it('run with the exit codes they state', async () => {
    const lines = readFileSync(join(root, 'docs/cli.md'), 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(l => /^yarn traffic-path (check|diff|docs) /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const expected = Number(/#\s*exit (\d)/.exec(line)?.[1] ?? 0);
      const args = line
        .replace(/\s+#.*$/, '')
        .replace(/^yarn traffic-path /, '')
        .split(/\s+/);
      const out = args.indexOf('--out');
      if (out >= 0) args[out + 1] = mkdtempSync(join(tmpdir(), 'tp-example-'));
      let err = '';
      const code = await main(args, {
        out: () => {},
        err: t => (err += t),
        cwd: root,
      });
      expect({
        line,
        code,
        err: err.replace(/^traffic-path: wrote .*\n$/, ''),
      }).toEqual({
        line,
        code: expected,
        err: '',
      });
    }
  });
});

/*
 * The docs users read stay true to the code: every finding code is
 * documented, and the README's example commands run.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findingCodes } from '@internal/plugin-traffic-path-common';
import { main } from './index';

const root = resolve(__dirname, '../../..');

describe('docs', () => {
  it('documents every finding code in docs/findings.md', () => {
    const doc = readFileSync(join(root, 'docs/findings.md'), 'utf8');
    for (const code of Object.keys(findingCodes)) {
      expect({ code, documented: doc.includes(`## ${code}\n`) }).toEqual({
        code,
        documented: true,
      });
    }
  });

  it('runs the trace commands shown in the README and docs/cli.md', async () => {
    const commands = [
      readFileSync(join(root, 'README.md'), 'utf8'),
      readFileSync(join(root, 'docs/cli.md'), 'utf8'),
    ]
      .flatMap(text => text.split('\n'))
      .map(line => line.trim())
      .filter(line => line.startsWith('yarn traffic-path trace '))
      // Live-mode examples need a cluster: packages/demo-cluster/src/cliLive.test.ts covers them.
      .filter(line => !line.includes('--kubeconfig'))
      // cluster.json is the reader's own dump, made by the kubectl line before it.
      .filter(line => !/\scluster\.json(\s|$)/.test(line))
      .map(line => line.replace(/\s+#.*$/, ''));
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) {
      const args = command.replace(/^yarn traffic-path /, '').split(/\s+/);
      let err = '';
      const code = await main(args, {
        out: () => {},
        err: t => (err += t),
        cwd: root,
      });
      expect({ command, code, err }).toEqual({ command, code: 0, err: '' });
    }
  });
});

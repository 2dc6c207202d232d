/*
 * A kubeconfig for a demo cluster, as kubectl and client libraries read it:
 * the cluster's CA in a file next to it, a token, and the given contexts
 * (the first is current).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoCluster } from '../server';

export function writeKubeconfig(
  cluster: DemoCluster,
  token: string,
  contexts: string[] = ['demo'],
): string {
  const dir = mkdtempSync(join(tmpdir(), 'demo-cluster-'));
  writeFileSync(join(dir, 'ca.pem'), cluster.certificate!);
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster: {server: "${cluster.url}", certificate-authority: "${join(
      dir,
      'ca.pem',
    )}"}
users:
- name: demo
  user: {token: "${token}"}
contexts:
${contexts
  .map(c => `- name: ${c}\n  context: {cluster: demo, user: demo}`)
  .join('\n')}
current-context: ${contexts[0]}
`,
  );
  return file;
}

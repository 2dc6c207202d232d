/*
 * Nodes: the address other nodes and load balancers use for them, and
 * whether they are ready.
 */
import { KubeObject } from '../model';
import { records, str } from '../util/fields';

/** The address other nodes use for a node: InternalIP, else ExternalIP. */
export function nodeAddress(node: KubeObject | undefined): string | undefined {
  if (!node) return undefined;
  const addresses = records(node, 'status.addresses');
  const pick = (type: string) => addresses.find(a => str(a, 'type') === type);
  return str(pick('InternalIP') ?? pick('ExternalIP') ?? {}, 'address');
}

export function nodeReady(node: KubeObject): boolean {
  const ready = records(node, 'status.conditions').find(
    c => str(c, 'type') === 'Ready',
  );
  // A node without status (an applied manifest) is taken as ready.
  return ready ? str(ready, 'status') === 'True' : true;
}

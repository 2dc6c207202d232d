/*
 * The details of a node-port hop, deployed and before deploy: manifests
 * cannot know the port or the nodes, and the panel must not claim them.
 */
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { Hop } from '@internal/plugin-traffic-path-common';
import { scenarioReport } from '../__testUtils__/scenarios';
import { HopDetails } from './HopDetails';

const nodePortHop = (inputs: string[]) => {
  const hop = scenarioReport(inputs)
    .routes.flatMap(r => r.hops)
    .find(h => h.kind === 'node-port');
  if (!hop) throw new Error(`no node-port hop in ${inputs.join(', ')}`);
  return hop as Extract<Hop, { kind: 'node-port' }>;
};

const valueOf = (label: string) =>
  screen.getByText(label).nextElementSibling?.textContent;

describe('HopDetails of a node port', () => {
  it('says before deploy that the port and the nodes are known only in a cluster', async () => {
    const hop = nodePortHop(['rules-before-deploy-lb/cluster']);
    expect(hop.notDeployed).toBe(true);
    await renderInTestApp(<HopDetails hop={hop} onClose={() => {}} />);
    expect(valueOf('Node port')).toBe('assigned at deploy');
    expect(valueOf('Nodes')).toBe('known only in a cluster');
    expect(document.body.textContent).not.toMatch(/undefined|\(none\)/);
  });

  it('names the port and the nodes of a deployed Service', async () => {
    const hop = nodePortHop(['seed-004/cluster']);
    expect(hop.notDeployed).toBeFalsy();
    await renderInTestApp(<HopDetails hop={hop} onClose={() => {}} />);
    expect(valueOf('Node port')).toBe(String(hop.nodePort));
    expect(valueOf('Nodes')).toContain(hop.nodes[0].node);
  });
});

/*
 * What one hop is, in detail: addresses, ports, the rules on it and where
 * they come from, its problems, and a link to the object in the
 * Kubernetes tab. All values are cluster data: rendered as text.
 */
import { useEffect, useRef } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { Endpoint, Hop, hopTitle } from '@internal/plugin-traffic-path-common';
import { useTrafficPathColours } from './colours';
import { statusLook } from './status';

type Row = [string, string];

function sourceText(
  source: Extract<Hop, { kind: 'ingress' }>['sourceAddress'],
): string {
  if (source.kind === 'client') return 'the client';
  if (source.kind === 'unknown') return source.reason;
  return `${source.kind}: ${source.addresses.join(', ')}`;
}

const endpointText = (e: Endpoint) =>
  `${e.pod ?? '(no pod)'} ${e.address}${e.port ? `:${e.port}` : ''}${
    e.node ? ` on ${e.node}${e.nodeAddress ? ` (${e.nodeAddress})` : ''}` : ''
  } — ${e.ready ? 'ready' : 'not ready'}${
    e.terminating ? ', terminating' : ''
  }${e.derived ? ', derived from selector' : ''}`;

const policyVerdict = (allowed: boolean | null) => {
  if (allowed === null) return 'depends on the client';
  return allowed ? 'allowed' : 'refused';
};

function rows(hop: Hop, endpoint?: Endpoint): Row[] {
  switch (hop.kind) {
    case 'client':
      return hop.address ? [['Address', hop.address]] : [];
    case 'dns':
      return [
        ['Host', hop.host ?? '(any)'],
        [
          'Should resolve to',
          `${hop.expected.join(', ') || '?'} (${hop.recordType})`,
        ],
        ...(hop.resolved
          ? ([['Resolves to', hop.resolved.join(', ') || '(nothing)']] as Row[])
          : []),
      ];
    case 'load-balancer':
      return [
        ['Addresses', hop.addresses.join(', ') || '(pending)'],
        ['Exposure', hop.exposure],
        ['Provider', hop.provider],
        ...(hop.id ? ([['Cloud id', hop.id]] as Row[]) : []),
        ...(hop.loadBalancerClass
          ? ([['loadBalancerClass', hop.loadBalancerClass]] as Row[])
          : []),
        [
          'Targets',
          hop.targetType === 'pods'
            ? 'pods directly'
            : 'nodes, through the node port',
        ],
        [
          'Ports',
          hop.ports
            .map(
              p =>
                `${p.port}/${p.protocol}${
                  p.nodePort ? ` → node port ${p.nodePort}` : ''
                } → ${p.targetPort}`,
            )
            .join(', '),
        ],
        ['Client address kept', hop.preservesClientIp ? 'yes' : 'no'],
        ...hop.restrictions.map(
          r =>
            [
              `${r.mode} (${r.origin})`,
              r.visible
                ? r.cidrs.join(', ')
                : `${
                    r.description ?? 'rule'
                  }: entries live in the cloud, not visible`,
            ] as Row,
        ),
      ];
    case 'node-port':
      return [
        [
          'Node port',
          hop.nodePort ? String(hop.nodePort) : 'assigned at deploy',
        ],
        ['externalTrafficPolicy', hop.externalTrafficPolicy],
        ...(hop.healthCheckNodePort
          ? ([
              ['healthCheckNodePort', String(hop.healthCheckNodePort)],
            ] as Row[])
          : []),
        [
          'Nodes',
          // Before deploy no node is known: "(none)" would be a claim.
          hop.notDeployed
            ? 'known only in a cluster'
            : hop.nodes
                .map(
                  n => `${n.node} (${n.address})${n.ready ? '' : ' not ready'}`,
                )
                .join(', ') || '(none)',
        ],
        [
          'Source NAT',
          hop.snat ? 'yes: pods see a node address' : 'no: pods see the client',
        ],
      ];
    case 'kube-proxy':
      return [
        ['Mode', hop.mode],
        [
          'Translates',
          hop.from === 'node-port' ? 'the node port' : 'the ClusterIP',
        ],
        ['To', hop.destination],
      ];
    case 'ingress-controller':
      return [
        ['Controller', hop.controller],
        ['Class', `${hop.className ?? '(none)'} (from ${hop.classSource})`],
        ...(hop.controllerName
          ? ([['spec.controller', hop.controllerName]] as Row[])
          : []),
        ...(hop.service
          ? ([
              ['Service', `${hop.service.namespace}/${hop.service.name}`],
            ] as Row[])
          : []),
        ['Pods', hop.pods.map(endpointText).join('; ') || '(none found)'],
      ];
    case 'ingress':
      return [
        ['Host', hop.host ?? '(any)'],
        [
          'Path',
          `${hop.path ?? '/'} (${hop.pathType ?? 'ImplementationSpecific'})`,
        ],
        [
          'TLS',
          hop.tls
            ? `yes${hop.tlsSecret ? `, Secret ${hop.tlsSecret}` : ''}`
            : 'no',
        ],
        ['Source address seen', sourceText(hop.sourceAddress)],
        ...hop.restrictions.map(
          r => [`${r.mode} (${r.origin})`, r.cidrs.join(', ')] as Row,
        ),
      ];
    case 'service':
      return [
        ['Type', hop.type],
        ['ClusterIP', hop.clusterIPs.join(', ') || '(none)'],
        ...(hop.port
          ? ([
              [
                'Port',
                `${hop.port.name ? `${hop.port.name} ` : ''}${
                  hop.port.port
                } → targetPort ${hop.port.targetPort}${
                  hop.port.nodePort ? `, nodePort ${hop.port.nodePort}` : ''
                }`,
              ],
            ] as Row[])
          : []),
        [
          'On the way',
          hop.onPath
            ? 'yes'
            : 'no: traffic goes to pod IPs directly; the Service only lists the endpoints',
        ],
        ...(hop.externalName
          ? ([['externalName', hop.externalName]] as Row[])
          : []),
      ];
    case 'network-policy':
      return [
        ['Enforced by', hop.enforcement],
        ['Source the policies see', hop.source],
        [
          'Policies',
          hop.policies
            .map(p => `${p.namespace ? `${p.namespace}/` : ''}${p.name}`)
            .join(', ') || '(none isolates the pods)',
        ],
        ...hop.pods.map(
          p =>
            [
              `${p.namespace}/${p.pod}${p.port ? `:${p.port}` : ''}`,
              `${policyVerdict(p.allowed)}: ${p.reason}`,
            ] as Row,
        ),
      ];
    case 'pod':
      return endpoint
        ? [['Endpoint', endpointText(endpoint)]]
        : [
            ['Source', hop.source],
            [
              'Endpoints',
              hop.endpoints.map(endpointText).join('; ') || '(none)',
            ],
          ];
    case 'container':
      return hop.targets.map(
        t =>
          [
            t.pod,
            `${t.container ?? '?'} port ${t.port ?? '?'}${
              t.portName ? ` ("${t.portName}")` : ''
            }${t.declared ? '' : ', not declared'}`,
          ] as Row,
      );
    default:
      return [];
  }
}

export function HopDetails(props: {
  hop: Hop;
  endpoint?: Endpoint;
  kubernetesTabUrl?: string;
  onClose(): void;
  /** Bring the panel into view when it opens or changes hop (it opens under a tall drawing). */
  scrollIntoView?: boolean;
}) {
  const { hop, scrollIntoView } = props;
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (scrollIntoView)
      panel.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [hop, scrollIntoView]);
  const look = statusLook(hop.status);
  const colour = useTrafficPathColours().tone[look.tone];
  return (
    <Box
      ref={panel}
      role="region"
      aria-label={`Details of the ${hopTitle(hop.kind)} hop`}
      sx={{
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        p: 2,
        mt: 1,
      }}
    >
      <Box display="flex" justifyContent="space-between" alignItems="center">
        <Typography variant="h6" component="h3">
          {hopTitle(hop.kind)} —{' '}
          <span style={{ color: colour }}>
            {look.icon} {look.word}
          </span>
        </Typography>
        <Button size="small" onClick={props.onClose}>
          Close
        </Button>
      </Box>
      <Typography variant="body2" gutterBottom>
        {hop.label}
      </Typography>
      <Box
        component="dl"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'max-content 1fr',
          columnGap: 2,
          rowGap: 0.5,
          m: 0,
        }}
      >
        {rows(hop, props.endpoint).map(([k, v], i) => (
          <Box key={`${k}-${i}`} sx={{ display: 'contents' }}>
            <Box component="dt" sx={{ fontWeight: 600 }}>
              {k}
            </Box>
            <Box
              component="dd"
              sx={{
                m: 0,
                fontFamily: 'monospace',
                fontSize: 13,
                wordBreak: 'break-word',
              }}
            >
              {v}
            </Box>
          </Box>
        ))}
      </Box>
      {hop.problems && hop.problems.length > 0 && (
        <Box mt={1}>
          {hop.problems.map((p, i) => (
            <Typography key={i} variant="body2" sx={{ color: colour }}>
              {look.icon} {p}
            </Typography>
          ))}
        </Box>
      )}
      {hop.object && (
        <Typography variant="body2" mt={1}>
          Object: {hop.object.kind}{' '}
          {hop.object.namespace ? `${hop.object.namespace}/` : ''}
          {hop.object.name}
          {props.kubernetesTabUrl && (
            <>
              {' '}
              —{' '}
              <Link href={props.kubernetesTabUrl}>open the Kubernetes tab</Link>
            </>
          )}
        </Typography>
      )}
    </Box>
  );
}

/*
 * One entity's traffic paths: route picker, graph, details, hop table,
 * findings, client-IP test and export. Presentational: data comes in.
 */
import { useMemo, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { EmptyState } from '@backstage/core-components';
import {
  ClusterRoutes,
  Endpoint,
  EntityRoutes,
  GraphNode,
  HopKind,
  Report,
} from '@internal/plugin-traffic-path-common';
import { ClientIpTest } from './ClientIpTest';
import { ExportPanel } from './ExportPanel';
import { Findings } from './Findings';
import { PathGraph } from './graph/PathGraph';
import { HopDetails } from './HopDetails';
import { HopTable } from './HopTable';
import { RouteChoice, RoutePicker } from './RoutePicker';
import { useTrafficPathColours } from './colours';
import { statusLook } from './status';

type ClusterReport = Extract<ClusterRoutes, { report: Report }>;

export type TrafficPathViewProps = {
  data: EntityRoutes;
  clientIp?: string;
  onTestClientIp(ip: string | undefined): void;
  busy: boolean;
  /** Where the entity's Kubernetes tab is, for links from hop details. */
  kubernetesTabUrl?: string;
  variant: 'card' | 'page';
};

export function TrafficPathView(props: TrafficPathViewProps) {
  const reports = useMemo(
    () => props.data.clusters.filter((c): c is ClusterReport => 'report' in c),
    [props.data.clusters],
  );
  const choices: RouteChoice[] = useMemo(
    () =>
      reports.flatMap(c =>
        c.report.routes.map(route => ({ cluster: c.cluster, route })),
      ),
    [reports],
  );
  const colours = useTrafficPathColours();
  const [selectedIndex, setSelectedIndex] = useState(0);
  const [expandedPods, setExpandedPods] = useState(false);
  const [selectedNode, setSelectedNode] = useState<GraphNode | undefined>();
  const [highlight, setHighlight] = useState<HopKind | undefined>();
  const svg = useRef<SVGSVGElement | null>(null);

  const choice = choices[Math.min(selectedIndex, choices.length - 1)];
  if (!choice) {
    return (
      <EmptyState
        missing="data"
        title="No route from outside reaches this entity"
        description={`Its Services in ${
          reports.map(r => r.cluster).join(', ') || 'any cluster'
        } have no Ingress, Gateway route, LoadBalancer or NodePort Service leading to them.`}
      />
    );
  }
  const { report, warnings } = reports.find(r => r.cluster === choice.cluster)!;
  const route = choice.route;
  const findings = report.findings.filter(
    f =>
      f.routeIds?.includes(route.id) ||
      (!f.routeIds && f.object.name === route.backend?.name),
  );
  const look = statusLook(route.health);
  const besideDetails = props.variant === 'page' && !!selectedNode;
  const selectedHop = selectedNode
    ? route.hops[selectedNode.hopIndex]
    : undefined;

  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Box display="flex" gap={2} alignItems="center" flexWrap="wrap">
        <RoutePicker
          choices={choices}
          selected={selectedIndex}
          onSelect={i => {
            setSelectedIndex(i);
            setSelectedNode(undefined);
            setExpandedPods(false);
          }}
        />
        <Typography
          variant="body2"
          sx={{ color: colours.tone[look.tone], fontWeight: 700 }}
          data-testid="route-health"
        >
          {look.icon} {look.word}
          {route.brokenAt ? ` at the ${route.brokenAt} hop` : ''}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          kube-proxy: {report.kubeProxyMode} · cluster {choice.cluster}
        </Typography>
      </Box>
      {warnings.length > 0 && (
        <Typography variant="body2" color="text.secondary">
          Read partly: {warnings.join('; ')}
        </Typography>
      )}
      {/* In the tab the details stand beside the drawing; in the narrow card, under it. */}
      <Box
        display="grid"
        gap={2}
        alignItems="start"
        gridTemplateColumns={
          besideDetails ? 'minmax(0, 1fr) minmax(280px, 38%)' : 'minmax(0, 1fr)'
        }
      >
        <PathGraph
          route={route}
          expandedPods={expandedPods}
          onTogglePods={() => setExpandedPods(!expandedPods)}
          selected={selectedNode?.id}
          onSelect={node =>
            setSelectedNode(node.id === selectedNode?.id ? undefined : node)
          }
          highlight={highlight}
          svgRef={svg}
        />
        {selectedHop && (
          <Box sx={besideDetails ? { position: 'sticky', top: 8 } : undefined}>
            <HopDetails
              hop={selectedHop}
              endpoint={selectedNode?.endpoint as Endpoint | undefined}
              kubernetesTabUrl={props.kubernetesTabUrl}
              onClose={() => setSelectedNode(undefined)}
              scrollIntoView={!besideDetails}
            />
          </Box>
        )}
      </Box>
      <ClientIpTest
        clientIp={props.clientIp}
        onTest={props.onTestClientIp}
        routes={reports.flatMap(r => r.report.routes)}
        busy={props.busy}
      />
      <Box>
        <Typography variant="subtitle1" component="h3">
          Findings
        </Typography>
        <Findings findings={findings} onHighlight={setHighlight} />
      </Box>
      <Box sx={{ overflowX: 'auto' }}>
        <HopTable
          route={route}
          compact={props.variant === 'card'}
          highlight={highlight}
          blockedAt={
            route.verdict?.allowed === false
              ? route.verdict.blockedAt
              : undefined
          }
        />
      </Box>
      <Box>
        <Typography variant="subtitle1" component="h3">
          Export
        </Typography>
        <ExportPanel
          report={report}
          route={route}
          cluster={choice.cluster}
          kubeProxyMode={report.kubeProxyMode}
          svg={() => svg.current}
        />
      </Box>
    </Box>
  );
}

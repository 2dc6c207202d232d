/*
 * Export the route: SVG and PNG of the graph, Mermaid and Markdown to
 * paste into onboarding docs, and the commands that check each hop by hand.
 */
import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import {
  hopCommands,
  KubeProxyMode,
  Report,
  Route,
  routeFindings,
  toMarkdown,
  toMermaid,
} from '@internal/plugin-traffic-path-common';
import { useTrafficPathColours } from './colours';
import { CopyButton } from './CopyButton';
import { CopyDocsLink } from './CopyDocsLink';
import { download, pngBlob, svgText } from './exportGraph';

type Format = 'mermaid' | 'markdown';

export function mermaidOf(report: Report, route: Route): string {
  return toMermaid({ ...report, routes: [route] });
}

export function markdownOf(report: Report, route: Route): string {
  const findings = routeFindings(report, route);
  return toMarkdown({ ...report, routes: [route], findings, inputErrors: [] });
}

function fileName(route: Route, ext: string): string {
  return `traffic-path-${(route.entry.host ?? route.entry.object.name).replace(
    /[^a-z0-9.-]+/gi,
    '_',
  )}.${ext}`;
}

export function ExportPanel(props: {
  report: Report;
  route: Route;
  /** The cluster of the report, for the docs link. */
  cluster: string;
  kubeProxyMode: KubeProxyMode;
  svg: () => SVGSVGElement | null;
}) {
  const { report, route } = props;
  const [shown, setShown] = useState<Format | undefined>();
  const [error, setError] = useState<string | undefined>();
  let text = '';
  if (shown === 'mermaid') text = mermaidOf(report, route);
  if (shown === 'markdown') text = markdownOf(report, route);
  const commands = hopCommands(route, props.kubeProxyMode);
  const colours = useTrafficPathColours();

  const exportSvg = () => {
    download(
      fileName(route, 'svg'),
      new Blob([svgText(route, colours, props.svg())], {
        type: 'image/svg+xml',
      }),
    );
  };
  const exportPng = async () => {
    try {
      download(
        fileName(route, 'png'),
        await pngBlob(svgText(route, colours, props.svg())),
      );
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Box>
      <Box
        display="flex"
        gap={1}
        flexWrap="wrap"
        role="group"
        aria-label="Export"
      >
        <Button size="small" variant="outlined" onClick={exportSvg}>
          SVG
        </Button>
        <Button size="small" variant="outlined" onClick={exportPng}>
          PNG
        </Button>
        <Button
          size="small"
          variant={shown === 'mermaid' ? 'contained' : 'outlined'}
          onClick={() => setShown(shown === 'mermaid' ? undefined : 'mermaid')}
          aria-expanded={shown === 'mermaid'}
        >
          Mermaid
        </Button>
        <Button
          size="small"
          variant={shown === 'markdown' ? 'contained' : 'outlined'}
          onClick={() =>
            setShown(shown === 'markdown' ? undefined : 'markdown')
          }
          aria-expanded={shown === 'markdown'}
        >
          Markdown
        </Button>
        <CopyDocsLink route={route} cluster={props.cluster} />
      </Box>
      {error && (
        <Typography variant="body2" color="error">
          {error}
        </Typography>
      )}
      {shown && (
        <Box mt={1}>
          <Box display="flex" justifyContent="flex-end" gap={1}>
            <CopyButton
              text={text}
              label={`Copy the ${
                shown === 'mermaid' ? 'Mermaid' : 'Markdown'
              } text`}
            />
            <Button
              size="small"
              onClick={() =>
                download(
                  fileName(route, shown === 'mermaid' ? 'mmd' : 'md'),
                  new Blob([text], { type: 'text/plain' }),
                )
              }
            >
              Download
            </Button>
          </Box>
          <Box
            component="pre"
            aria-label={`${
              shown === 'mermaid' ? 'Mermaid' : 'Markdown'
            } export`}
            data-testid={`export-${shown}`}
            sx={{
              maxHeight: 320,
              overflow: 'auto',
              bgcolor: 'background.default',
              color: 'text.primary',
              p: 1,
              fontSize: 12,
            }}
          >
            {text}
          </Box>
        </Box>
      )}
      <Typography variant="subtitle2" component="h3" mt={2}>
        Check each hop by hand
      </Typography>
      {commands.map((c, i) => (
        <Box
          key={i}
          display="flex"
          alignItems="center"
          gap={1}
          data-hop={c.hop}
        >
          <Box flex="0 0 40%">
            <Typography variant="body2">{c.title}</Typography>
          </Box>
          <Box
            component="code"
            flex={1}
            // A long command scrolls; its whole text is also the tooltip and the copy.
            title={c.command}
            tabIndex={0}
            sx={{ fontSize: 12, overflowX: 'auto', whiteSpace: 'nowrap' }}
          >
            {c.command}
          </Box>
          <CopyButton text={c.command} label={`Copy: ${c.title}`} />
        </Box>
      ))}
    </Box>
  );
}

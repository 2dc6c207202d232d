/*
 * Findings, most severe first (the engine sorts them), each with its fix
 * hint and the command that shows the raw state; pointing at one
 * highlights the hop it concerns.
 */
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import { Finding, HopKind } from '@internal/plugin-traffic-path-common';
import { CopyButton } from './CopyButton';
import { useTrafficPathColours } from './colours';
import { severityLook } from './status';

export function Findings(props: {
  findings: Finding[];
  onHighlight(hop?: HopKind): void;
}) {
  const colours = useTrafficPathColours();
  if (props.findings.length === 0) {
    return <Typography variant="body2">No findings on this route.</Typography>;
  }
  return (
    <List dense aria-label="Findings">
      {props.findings.map((f, i) => {
        const look = severityLook(f.severity);
        const colour = colours.tone[look.tone];
        return (
          <ListItem
            key={`${f.code}-${i}`}
            tabIndex={0}
            data-code={f.code}
            onMouseEnter={() => props.onHighlight(f.hop)}
            onMouseLeave={() => props.onHighlight(undefined)}
            onFocus={() => props.onHighlight(f.hop)}
            onBlur={() => props.onHighlight(undefined)}
            sx={{
              display: 'block',
              borderLeft: `4px solid ${colour}`,
              mb: 1,
              pl: 1.5,
            }}
          >
            <Typography variant="body2" component="div">
              <Box component="span" sx={{ color: colour, fontWeight: 700 }}>
                {look.icon} {look.word}
              </Box>{' '}
              <Box component="code" sx={{ fontWeight: 700 }}>
                {f.code}
              </Box>{' '}
              on {f.object.kind}{' '}
              {f.object.namespace ? `${f.object.namespace}/` : ''}
              {f.object.name}
              {f.hop ? ` (${f.hop} hop)` : ''}
            </Typography>
            <Typography variant="body2">{f.message}</Typography>
            <Typography variant="body2" color="text.secondary">
              Fix: {f.hint}
            </Typography>
            <Box display="flex" alignItems="center" gap={1}>
              <Box
                component="code"
                title={f.reproduce}
                sx={{ fontSize: 12, overflowX: 'auto', whiteSpace: 'nowrap' }}
              >
                {f.reproduce}
              </Box>
              <CopyButton
                text={f.reproduce}
                label={`Copy the command for ${f.code}`}
              />
            </Box>
          </ListItem>
        );
      })}
    </List>
  );
}

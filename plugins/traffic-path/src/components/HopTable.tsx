/*
 * The hop table: step, from, to, what happens. It is also the text
 * alternative of the graph for screen readers.
 */
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { HopKind, hopTitle, Route } from '@internal/plugin-traffic-path-common';
import { useTrafficPathColours } from './colours';

export function HopTable(props: {
  route: Route;
  highlight?: HopKind;
  blockedAt?: HopKind;
  /** For a narrow card: from and to in one column, so what happens keeps room to read. */
  compact?: boolean;
}) {
  const { route, compact } = props;
  const colours = useTrafficPathColours();
  // Short columns and addresses never break inside a word ("Ste p"); what happens wraps.
  const noBreak = { whiteSpace: 'nowrap' } as const;
  const address = { ...noBreak, fontFamily: 'monospace' } as const;
  return (
    <Table
      size="small"
      sx={compact ? { '& .MuiTableCell-root': { px: 1 } } : undefined}
      aria-label={`Hop table of ${route.entry.host ?? route.entry.object.name}`}
    >
      <caption>
        How a request for {route.entry.host ?? route.entry.object.name}
        {route.entry.path ?? ''} travels, step by step, with the addresses a
        packet really has.
      </caption>
      <TableHead>
        <TableRow>
          <TableCell sx={noBreak}>Step</TableCell>
          <TableCell sx={noBreak}>Hop</TableCell>
          {compact ? (
            <TableCell sx={noBreak}>From → to</TableCell>
          ) : (
            <>
              <TableCell sx={noBreak}>From</TableCell>
              <TableCell sx={noBreak}>To</TableCell>
            </>
          )}
          <TableCell sx={{ minWidth: 180 }}>What happens</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {route.table.map(row => (
          <TableRow
            key={row.step}
            data-hop={row.hop}
            selected={props.highlight === row.hop}
            sx={
              props.blockedAt === row.hop
                ? { outline: `2px solid ${colours.tone.error}` }
                : undefined
            }
          >
            <TableCell sx={noBreak}>{row.step}</TableCell>
            <TableCell sx={noBreak}>{hopTitle(row.hop)}</TableCell>
            {compact ? (
              <TableCell sx={address}>
                <Box>{row.from}</Box>
                <Box display="flex" gap={0.5}>
                  <span aria-hidden="true">→</span>
                  <span>{row.to}</span>
                </Box>
              </TableCell>
            ) : (
              <>
                <TableCell sx={address}>{row.from}</TableCell>
                <TableCell sx={address}>{row.to}</TableCell>
              </>
            )}
            <TableCell>{row.action}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

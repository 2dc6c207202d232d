/*
 * The hop table: step, from, to, what happens. It is also the text
 * alternative of the graph for screen readers.
 */
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { HopKind, Route } from '@internal/plugin-traffic-path-common';
import { hopTitle } from './graph/layout';

export function HopTable(props: {
  route: Route;
  highlight?: HopKind;
  blockedAt?: HopKind;
}) {
  const { route } = props;
  return (
    <Table
      size="small"
      aria-label={`Hop table of ${route.entry.host ?? route.entry.object.name}`}
    >
      <caption>
        How a request for {route.entry.host ?? route.entry.object.name}
        {route.entry.path ?? ''} travels, step by step, with the addresses a
        packet really has.
      </caption>
      <TableHead>
        <TableRow>
          <TableCell>Step</TableCell>
          <TableCell>Hop</TableCell>
          <TableCell>From</TableCell>
          <TableCell>To</TableCell>
          <TableCell>What happens</TableCell>
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
                ? { outline: '2px solid #c62828' }
                : undefined
            }
          >
            <TableCell>{row.step}</TableCell>
            <TableCell>{hopTitle(row.hop)}</TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{row.from}</TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{row.to}</TableCell>
            <TableCell>{row.action}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

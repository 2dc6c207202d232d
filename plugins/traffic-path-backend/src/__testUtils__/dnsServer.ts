/*
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) for tests: answers A,
 * AAAA and CNAME from a table, NXDOMAIN for the rest, and counts queries.
 */
import { createSocket } from 'node:dgram';
import { AddressInfo } from 'node:net';
// dns-packet ships no types: the two functions used are typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const packet: {
  decode(b: Buffer): DnsMessage;
  encode(m: DnsMessage): Buffer;
} = require('dns-packet');

type DnsMessage = {
  id?: number;
  type: 'query' | 'response';
  flags?: number;
  rcode?: string;
  questions: { type: string; name: string; class?: string }[];
  answers?: { type: string; name: string; ttl: number; data: string }[];
};

export type DnsRecords = Record<
  string,
  { A?: string[]; AAAA?: string[]; CNAME?: string }
>;

export type TestDnsServer = {
  server: string;
  queries: string[];
  maxInFlight(): number;
  close(): Promise<void>;
};

/** `delayMs` holds each answer back, so that tests can see how many queries are in flight at once. */
export async function startDnsServer(
  records: DnsRecords,
  options: { delayMs?: number } = {},
): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  let inFlight = 0;
  let most = 0;
  const answer = (
    message: Buffer,
    remote: { port: number; address: string },
  ) => {
    const query = packet.decode(message);
    const question = query.questions[0];
    queries.push(`${question.type} ${question.name}`);
    const entry = records[question.name];
    const answers: NonNullable<DnsMessage['answers']> = [];
    if (entry?.CNAME && question.type === 'CNAME')
      answers.push({
        type: 'CNAME',
        name: question.name,
        ttl: 60,
        data: entry.CNAME,
      });
    for (const data of question.type === 'A' || question.type === 'AAAA'
      ? entry?.[question.type] ?? []
      : []) {
      answers.push({ type: question.type, name: question.name, ttl: 60, data });
    }
    const response = packet.encode({
      id: query.id,
      type: 'response',
      // Authoritative answer; RCODE 3 (NXDOMAIN) for names not in the table.
      flags: (1 << 10) | (entry ? 0 : 3),
      questions: query.questions,
      answers,
    });
    socket.send(response, remote.port, remote.address);
  };
  socket.on('message', (message, remote) => {
    inFlight++;
    most = Math.max(most, inFlight);
    setTimeout(() => {
      inFlight--;
      answer(message, remote);
    }, options.delayMs ?? 0);
  });
  await new Promise<void>(resolve =>
    socket.bind(0, '127.0.0.1', () => resolve()),
  );
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    queries,
    maxInFlight: () => most,
    close: () => new Promise(resolve => socket.close(() => resolve())),
  };
}

/*
 * The DNS check on the seed-004 cluster and an AWS NLB known by hostname:
 * what each host must resolve to, and the findings when it does not.
 */
import {
  applyDnsAnswers,
  DnsAnswer,
  dnsQuestions,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { loadScenario } from './__testUtils__/scenarios';

const answer = (
  addresses: string[],
  cnames: string[] = [],
  error?: string,
): DnsAnswer => ({ addresses, cnames, ...(error ? { error } : {}) });

describe('DNS check', () => {
  const report = resolveReport(loadScenario('seed-004').load);

  it('asks only for the hosts of the routes', () => {
    expect(dnsQuestions(report)).toEqual([
      'app1.qas.abc.com',
      'app2.qas.abc.com',
      'app3.qas.abc.com',
    ]);
  });

  it('accepts hosts that resolve to their load balancer and reports the others', () => {
    const answers = new Map([
      ['app1.qas.abc.com', answer(['47.100.21.10'])],
      ['app2.qas.abc.com', answer(['203.0.113.7'])],
      ['app3.qas.abc.com', answer([], [], 'NXDOMAIN')],
    ]);
    const checked = applyDnsAnswers(report, answers);
    const dns = (host: string) =>
      checked.routes
        .find(r => r.entry.host === host)!
        .hops.find(h => h.kind === 'dns')!;
    expect(dns('app1.qas.abc.com')).toMatchObject({
      status: 'ok',
      resolved: ['47.100.21.10'],
    });
    expect(dns('app2.qas.abc.com')).toMatchObject({
      status: 'degraded',
      resolved: ['203.0.113.7'],
    });
    const codes = checked.findings.filter(f => f.code.startsWith('DNS_'));
    expect(codes).toEqual([
      expect.objectContaining({
        code: 'DNS_MISMATCH',
        severity: 'warning',
        hop: 'dns',
        object: {
          kind: 'Ingress',
          namespace: 'app',
          name: 'app2-service-ingress',
        },
        message:
          'app2.qas.abc.com resolves to 203.0.113.7, but its entry point is 47.100.21.10',
        reproduce:
          'dig +short app2.qas.abc.com A; dig +short app2.qas.abc.com AAAA',
      }),
      expect.objectContaining({
        code: 'DNS_UNRESOLVED',
        message:
          'app3.qas.abc.com does not resolve (NXDOMAIN); its entry point is 10.17.0.200',
      }),
    ]);
    expect(
      checked.routes.find(r => r.entry.host === 'app2.qas.abc.com')!.health,
    ).toBe('degraded');
    // The original report is untouched.
    expect(report.findings.some(f => f.code.startsWith('DNS_'))).toBe(false);
  });

  it('leaves hosts it has no answer for unchecked', () => {
    const checked = applyDnsAnswers(report, new Map());
    expect(
      checked.routes.every(r =>
        r.hops.every(h => h.kind !== 'dns' || h.resolved === undefined),
      ),
    ).toBe(true);
  });

  describe('an Ingress behind a load balancer known by hostname (AWS NLB)', () => {
    const nlb = resolveReport(loadScenario('ingress-behind-nlb-hostname').load);
    const lbName =
      'k8s-ingressn-ingressn-1a2b3c4d5e-0123456789abcdef.elb.eu-west-1.amazonaws.com';

    it('also asks for the LB hostname, to recognise alias records', () => {
      expect(dnsQuestions(nlb)).toEqual([lbName, 'shop.example.com']);
    });

    it('accepts a CNAME to the LB and an alias record with the LB addresses', () => {
      for (const hostAnswer of [
        answer([], [`${lbName}.`]),
        answer(['198.51.100.4']),
      ]) {
        const checked = applyDnsAnswers(
          nlb,
          new Map([
            ['shop.example.com', hostAnswer],
            [lbName, answer(['198.51.100.4', '198.51.100.5'])],
          ]),
        );
        expect(checked.findings.filter(f => f.code.startsWith('DNS_'))).toEqual(
          [],
        );
      }
    });

    it('reports a record that leads elsewhere', () => {
      const checked = applyDnsAnswers(
        nlb,
        new Map([
          ['shop.example.com', answer(['192.0.2.1'])],
          [lbName, answer(['198.51.100.4'])],
        ]),
      );
      expect(checked.findings.map(f => f.code)).toContain('DNS_MISMATCH');
    });
  });
});

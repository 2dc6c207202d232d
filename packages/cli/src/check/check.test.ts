/*
 * `traffic-path check` as CI calls it: exit codes, every format, locations
 * at file and line, standard input, the policy file and its errors.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { main } from '../index';
import { sarifValidator } from './__testUtils__/sarif';

// Each case traces whole scenarios; the full suite runs them all at once on two cores.
jest.setTimeout(60_000);

const root = resolve(__dirname, '../../../..');
const gate = join(root, 'test/scenarios/gate-checkout');
const fixed = join(root, 'test/scenarios/gate-checkout-fixed');
const helm = join(root, 'test/scenarios/gate-helm');

async function run(cwd: string, argv: string[], stdin?: string) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: t => (out += t),
    err: t => (err += t),
    cwd,
    ...(stdin !== undefined ? { stdin: async () => stdin } : {}),
  });
  return { code, out, err };
}

/** The 1-based lines of a template's top-level `kind: <kind>`. */
function kindLines(file: string, kind: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l, i) => (l === `kind: ${kind}` ? [i + 1] : []));
}

/** The 1-based line where the object of this kind and name starts in a file. */
function lineOf(file: string, kind: string, name: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const k = lines.findIndex(
    (l, i) => l === `kind: ${kind}` && lines[i + 2]?.trim() === `name: ${name}`,
  );
  // The object's mapping starts at apiVersion, the line before kind.
  return k;
}

// The tests name files relative to their cwd, whatever CI runs them.
const ciRoots = {
  GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE,
  CI_PROJECT_DIR: process.env.CI_PROJECT_DIR,
  GITHUB_STEP_SUMMARY: process.env.GITHUB_STEP_SUMMARY,
};
beforeEach(() => {
  delete process.env.GITHUB_WORKSPACE;
  delete process.env.CI_PROJECT_DIR;
  delete process.env.GITHUB_STEP_SUMMARY;
});
afterAll(() => {
  for (const [name, value] of Object.entries(ciRoots))
    if (value !== undefined) process.env[name] = value;
});

describe('traffic-path check', () => {
  it('exits 3 when the policy is broken, naming the rule, the object, and its line', async () => {
    const { code, out, err } = await run(gate, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
    ]);
    expect({ code, err }).toEqual({ code: 3, err: '' });
    const line = lineOf(
      join(gate, 'cluster/checkout.yaml'),
      'Ingress',
      'checkout',
    );
    expect(out).toContain(
      `✗ ERROR   POLICY_PUBLIC_WITHOUT_TLS (Ingress payments/checkout) at cluster/checkout.yaml:${line}\n            pay.example.com/checkout (Ingress payments/checkout) is public without TLS`,
    );
    expect(out).toContain(
      '✗ ERROR   POLICY_PUBLIC_UNRESTRICTED (Ingress payments/checkout)',
    );
    // The platform's own objects are context: nothing about them is gated.
    expect(out).not.toContain('ingress-nginx-controller');
    expect(out.trim().split('\n').pop()).toBe(
      'traffic-path check: 3 route(s), 2 error(s), 0 warning(s), 0 info — FAIL: 2 finding(s) at or above error',
    );
  });

  it('says which entry points the policy could not judge when the platform is missing', async () => {
    const { code, out, err } = await run(gate, ['check', 'cluster']);
    expect(code).toBe(0);
    expect(out).not.toContain('POLICY_');
    expect(err).toBe(
      "traffic-path: note: the exposure of 1 entry point(s) is unknown (pay.example.com/checkout Ingress payments/checkout): no load balancer or node port in front of them is in the input, so .traffic-path.yaml could not judge them; add the platform's controllers with --platform\n",
    );
  });

  it('exits 0 on the fixed chart with --fail-on error, and 3 with --fail-on warning', async () => {
    const pass = await run(fixed, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
    ]);
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('WARNING POLICY_SNAT_BEFORE_ALLOWLIST');
    expect(pass.out).toContain('PASS: nothing at or above error');
    const fail = await run(fixed, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
      '--fail-on',
      'warning',
    ]);
    expect(fail.code).toBe(3);
    expect(fail.out).toContain('FAIL: 2 finding(s) at or above warning');
  });

  it('gates the seeds: info findings only, so exit 0 at error and 3 at info', async () => {
    const seeds = [
      'test/scenarios/seed-004/cluster',
      'test/scenarios/seed-003/cluster',
    ];
    expect((await run(root, ['check', ...seeds])).code).toBe(0);
    const info = await run(root, ['check', ...seeds, '--fail-on', 'info']);
    expect(info.code).toBe(3);
    expect(info.out).toMatch(
      /INFO {4}PUBLIC_WITHOUT_SOURCE_RESTRICTION \(Service kube-system\/nginx-ingress-lb\) at test\/scenarios\/seed-004\/cluster\/ingress-nginx\.yaml:\d+/,
    );
  });

  it('reads - from standard input, as helm template | traffic-path check - does', async () => {
    const text = readFileSync(join(gate, 'cluster/checkout.yaml'), 'utf8');
    const { code, out } = await run(
      gate,
      ['check', '-', '--platform', '../_shared', '--format', 'json'],
      text,
    );
    expect(code).toBe(3);
    const result = JSON.parse(out);
    expect(result).toMatchObject({
      schemaVersion: 1,
      failOn: 'error',
      failed: true,
      failing: 2,
      policy: '.traffic-path.yaml',
    });
    const tls = result.findings.find(
      (f: { code: string }) => f.code === 'POLICY_PUBLIC_WITHOUT_TLS',
    );
    expect(tls.location).toEqual({
      file: '<stdin>',
      line: lineOf(join(gate, 'cluster/checkout.yaml'), 'Ingress', 'checkout'),
    });
  });

  it('puts manifests that name no namespace into --namespace, as helm template without one prints them', async () => {
    const text = readFileSync(
      join(gate, 'cluster/checkout.yaml'),
      'utf8',
    ).replace(/^ {2}namespace: payments\n/gm, '');
    expect(text).not.toContain('namespace:');
    const findings = async (...extra: string[]) => {
      const { out } = await run(
        gate,
        [
          'check',
          '-',
          '--platform',
          '../_shared',
          '--format',
          'json',
          ...extra,
        ],
        text,
      );
      return JSON.parse(out).findings.map(
        (f: {
          code: string;
          object: { namespace?: string; name: string };
          location?: { line?: number };
        }) => [
          f.code,
          `${f.object.namespace}/${f.object.name}`,
          f.location?.line,
        ],
      );
    };
    // The Service and the Deployment before the Ingress each lost their namespace line.
    const line =
      lineOf(join(gate, 'cluster/checkout.yaml'), 'Ingress', 'checkout') - 2;
    expect(await findings('--namespace', 'payments')).toEqual([
      ['POLICY_PUBLIC_UNRESTRICTED', 'payments/checkout', line],
      ['POLICY_PUBLIC_WITHOUT_TLS', 'payments/checkout', line],
    ]);
    // Without it they are in default, which the policy allows internal entry points only.
    expect(await findings()).toEqual([
      ['POLICY_LB_EXPOSURE_NOT_ALLOWED', 'default/checkout', line],
      ['POLICY_PUBLIC_UNRESTRICTED', 'default/checkout', line],
      ['POLICY_PUBLIC_WITHOUT_TLS', 'default/checkout', line],
    ]);
  });

  it('writes SARIF 2.1.0 that the schema accepts, with rules documented and results at file and line', async () => {
    const validate = sarifValidator();
    const checkout = readFileSync(join(gate, 'cluster/checkout.yaml'), 'utf8');
    const rendered = readFileSync(join(helm, 'rendered.yaml'), 'utf8');
    for (const [cwd, argv, stdin] of [
      [gate, ['check', 'cluster', '--platform', '../_shared']],
      [gate, ['check', '-', '--platform', '../_shared'], checkout],
      [helm, ['check', 'rendered.yaml', '--platform', '../_shared']],
      [helm, ['check', '-', '--platform', '../_shared'], rendered],
      [
        helm,
        ['check', '-', '--platform', '../_shared', '--source-root', 'charts'],
        rendered,
      ],
      [fixed, ['check', 'cluster', '--platform', '../_shared']],
      [root, ['check', 'test/scenarios/seed-004/cluster']],
      [root, ['check', 'test/realdata/popeye']],
      [root, ['check', 'test/realdata/kube-score']],
      [root, ['check', 'test/realdata/verrazzano-bugreport']],
      [root, ['check', 'test/realdata/backstage']],
    ] as [string, string[], string?][]) {
      const { out } = await run(cwd, [...argv, '--format', 'sarif'], stdin);
      const log = JSON.parse(out);
      expect({ argv, errors: validate(log) ? [] : validate.errors }).toEqual({
        argv,
        errors: [],
      });
      expect(log.version).toBe('2.1.0');
    }
    const { out } = await run(gate, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
      '--format',
      'sarif',
      '--docs-url',
      'https://example.com/traffic-path/docs/findings.md',
    ]);
    const run0 = JSON.parse(out).runs[0];
    const rule = run0.tool.driver.rules.find(
      (r: { id: string }) => r.id === 'POLICY_PUBLIC_WITHOUT_TLS',
    );
    expect(rule).toMatchObject({
      helpUri:
        'https://example.com/traffic-path/docs/findings.md#policy_public_without_tls',
      defaultConfiguration: { level: 'error' },
    });
    expect(rule.help.markdown).toContain(
      '[POLICY_PUBLIC_WITHOUT_TLS](docs/findings.md#policy_public_without_tls)',
    );
    const result = run0.results.find(
      (r: { ruleId: string }) => r.ruleId === 'POLICY_PUBLIC_WITHOUT_TLS',
    );
    expect(run0.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'cluster/checkout.yaml' },
      region: {
        startLine: lineOf(
          join(gate, 'cluster/checkout.yaml'),
          'Ingress',
          'checkout',
        ),
      },
    });
    expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      'Ingress payments/checkout',
    );
  });

  it('writes JUnit XML with a failed case per finding at the threshold', async () => {
    const { code, out } = await run(fixed, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
      '--format',
      'junit',
      '--fail-on',
      'warning',
    ]);
    expect(code).toBe(3);
    expect(
      out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites'),
    ).toBe(true);
    expect(out).toContain(
      '<testsuite name="traffic-path check" tests="3" failures="3" errors="0" skipped="0">',
    );
    expect(out).toMatch(
      /<testcase name="POLICY_SNAT_BEFORE_ALLOWLIST Ingress payments\/checkout" classname="traffic-path.warning" file="cluster\/checkout.yaml" line="\d+">\n {6}<failure message="pay.example.com\/checkout \(Ingress payments\/checkout\) has an allowlist/,
    );
    // One case per finding and one for the whole check, each failed one with its failure.
    expect(out.match(/<testcase /g)).toHaveLength(3);
    expect(out.match(/<failure /g)).toHaveLength(3);
    // At the default threshold the warnings pass, written as output of their cases.
    const pass = await run(fixed, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
      '--format',
      'junit',
    ]);
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('failures="0"');
    expect(pass.out).toContain('<system-out>warning below --fail-on error: ');
  });

  it('writes GitHub workflow annotations, escaped', async () => {
    const { code, out } = await run(gate, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
      '--format',
      'github',
    ]);
    expect(code).toBe(3);
    const line = lineOf(
      join(gate, 'cluster/checkout.yaml'),
      'Ingress',
      'checkout',
    );
    expect(out.split('\n')).toContain(
      `::error file=cluster/checkout.yaml,line=${line},title=POLICY_PUBLIC_WITHOUT_TLS (Ingress payments/checkout)::pay.example.com/checkout (Ingress payments/checkout) is public without TLS%0AFix: Add spec.tls for this host (cert-manager can issue the Secret), or list the host under rules.publicNeedsTls.exceptHosts.`,
    );
    const info = await run(root, [
      'check',
      'test/scenarios/seed-004/cluster',
      '--format',
      'github',
    ]);
    expect(info.out).toMatch(
      /^::notice file=test\/scenarios\/seed-004\/cluster\/ingress-nginx.yaml,line=\d+,title=ACL_NOT_VISIBLE \(Service kube-system\/nginx-ingress-lb-internal\)::/m,
    );
  });

  it('writes no file for standard input: SARIF keeps the logical location, GitHub and JUnit name no file', async () => {
    const text = readFileSync(join(gate, 'cluster/checkout.yaml'), 'utf8');
    const argv = ['check', '-', '--platform', '../_shared', '--format'];
    const sarif = JSON.parse((await run(gate, [...argv, 'sarif'], text)).out);
    const tls = sarif.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'POLICY_PUBLIC_WITHOUT_TLS',
    );
    expect(tls.locations).toEqual([
      {
        logicalLocations: [
          {
            name: 'checkout',
            fullyQualifiedName: 'Ingress payments/checkout',
            kind: 'object',
          },
        ],
      },
    ]);
    const github = (await run(gate, [...argv, 'github'], text)).out;
    expect(github).not.toContain('file=');
    expect(github.split('\n')).toContain(
      `::error title=POLICY_PUBLIC_WITHOUT_TLS (Ingress payments/checkout)::pay.example.com/checkout (Ingress payments/checkout) is public without TLS%0AFix: Add spec.tls for this host (cert-manager can issue the Secret), or list the host under rules.publicNeedsTls.exceptHosts.`,
    );
    const junit = (await run(gate, [...argv, 'junit'], text)).out;
    expect(junit).not.toContain('file=');
    expect(junit).toContain(
      `At: &lt;stdin&gt;:${lineOf(
        join(gate, 'cluster/checkout.yaml'),
        'Ingress',
        'checkout',
      )}</failure>`,
    );
  });

  describe('on helm template output (test/scenarios/gate-helm)', () => {
    const rendered = readFileSync(join(helm, 'rendered.yaml'), 'utf8');
    const templates = join(helm, 'charts/shop/templates');
    const previews = kindLines(join(templates, 'previews.yaml'), 'Ingress');
    const ingresses = kindLines(join(templates, 'ingress.yaml'), 'Ingress');
    const inputs: [string, string[], string | undefined][] = [
      ['a file', ['rendered.yaml'], undefined],
      ['standard input', ['-'], rendered],
    ];

    it('has a chart whose templates render documents in each way there is to locate', () => {
      // One `kind: Ingress` in a range (every preview at that line), two rendered once each
      // (matched in order), and two of which one is rendered (which one: not told).
      expect({
        previews: previews.length,
        ingresses: ingresses.length,
        admin: kindLines(join(templates, 'admin.yaml'), 'Ingress').length,
      }).toEqual({ previews: 1, ingresses: 2, admin: 2 });
    });

    it.each(inputs)(
      'locates findings at the templates of the chart (--source-root), from %s',
      async (_, input, stdin) => {
        const argv = [
          'check',
          ...input,
          '--platform',
          '../_shared',
          '--source-root',
          'charts',
          '--format',
        ];
        const github = await run(helm, [...argv, 'github'], stdin);
        expect(github.code).toBe(3);
        const annotations = github.out
          .split('\n')
          .filter(l => l.startsWith('::'))
          .map(l => l.slice(0, l.indexOf('::', 2)));
        expect(annotations).toEqual([
          // Two `kind: Ingress` in admin.yaml, one rendered: the file without a line.
          '::error file=charts/shop/templates/admin.yaml,title=POLICY_PUBLIC_UNRESTRICTED (Ingress shop/shop-admin)',
          // One `kind: Ingress` in a range: every preview at that line.
          `::error file=charts/shop/templates/previews.yaml,line=${previews[0]},title=POLICY_PUBLIC_UNRESTRICTED (Ingress shop/shop-preview-pr-101)`,
          `::error file=charts/shop/templates/previews.yaml,line=${previews[0]},title=POLICY_PUBLIC_UNRESTRICTED (Ingress shop/shop-preview-pr-102)`,
          '::warning file=charts/shop/templates/admin.yaml,title=POLICY_PUBLIC_WITHOUT_TLS (Ingress shop/shop-admin)',
          `::warning file=charts/shop/templates/previews.yaml,line=${previews[0]},title=POLICY_PUBLIC_WITHOUT_TLS (Ingress shop/shop-preview-pr-101)`,
          `::warning file=charts/shop/templates/previews.yaml,line=${previews[0]},title=POLICY_PUBLIC_WITHOUT_TLS (Ingress shop/shop-preview-pr-102)`,
          // Two rendered of two: the second document is the second `kind: Ingress`.
          `::warning file=charts/shop/templates/ingress.yaml,line=${ingresses[1]},title=POLICY_PUBLIC_WITHOUT_TLS (Ingress shop/shop-storefront-api)`,
        ]);

        const sarif = JSON.parse(
          (await run(helm, [...argv, 'sarif'], stdin)).out,
        );
        const validate = sarifValidator();
        expect(validate(sarif) ? [] : validate.errors).toEqual([]);
        const at = (ruleId: string, name: string) =>
          sarif.runs[0].results.find(
            (r: {
              ruleId: string;
              locations: { logicalLocations: { name: string }[] }[];
            }) =>
              r.ruleId === ruleId &&
              r.locations[0].logicalLocations[0].name === name,
          ).locations[0].physicalLocation;
        expect(at('POLICY_PUBLIC_WITHOUT_TLS', 'shop-storefront-api')).toEqual({
          artifactLocation: { uri: 'charts/shop/templates/ingress.yaml' },
          region: { startLine: ingresses[1] },
        });
        expect(at('POLICY_PUBLIC_UNRESTRICTED', 'shop-admin')).toEqual({
          artifactLocation: { uri: 'charts/shop/templates/admin.yaml' },
        });

        const junit = (await run(helm, [...argv, 'junit'], stdin)).out;
        expect(junit).toContain(
          `<testcase name="POLICY_PUBLIC_UNRESTRICTED Ingress shop/shop-preview-pr-102" classname="traffic-path.error" file="charts/shop/templates/previews.yaml" line="${previews[0]}">`,
        );
        expect(junit).toContain(
          '<testcase name="POLICY_PUBLIC_UNRESTRICTED Ingress shop/shop-admin" classname="traffic-path.error" file="charts/shop/templates/admin.yaml">',
        );
        expect(junit).toContain(
          `<testcase name="POLICY_PUBLIC_WITHOUT_TLS Ingress shop/shop-storefront-api" classname="traffic-path.warning" file="charts/shop/templates/ingress.yaml" line="${ingresses[1]}">`,
        );

        // JSON keeps where the object is in the input too.
        const json = JSON.parse(
          (await run(helm, [...argv, 'json'], stdin)).out,
        );
        const api = json.findings.find(
          (f: { object: { name: string } }) =>
            f.object.name === 'shop-storefront-api',
        );
        expect(api.location).toEqual({
          file: 'charts/shop/templates/ingress.yaml',
          line: ingresses[1],
          rendered: {
            file: stdin === undefined ? 'rendered.yaml' : '<stdin>',
            line: lineOf(
              join(helm, 'rendered.yaml'),
              'Ingress',
              'shop-storefront-api',
            ),
          },
        });
      },
    );

    it('takes the chart itself as --source-root, and names files relative to the repository root', async () => {
      const { out } = await run(
        root,
        [
          'check',
          '-',
          '--platform',
          'test/scenarios/_shared',
          '--policy',
          'test/scenarios/gate-helm/.traffic-path.yaml',
          '--source-root=test/scenarios/gate-helm/charts/shop',
          '--root',
          'test/scenarios/gate-helm',
          '--format',
          'github',
        ],
        rendered,
      );
      expect(out).toContain(
        `::warning file=charts/shop/templates/ingress.yaml,line=${ingresses[1]},title=POLICY_PUBLIC_WITHOUT_TLS (Ingress shop/shop-storefront-api)::`,
      );
    });

    it('shows people both places in the table: the template, then the rendered text', async () => {
      const { code, out } = await run(helm, [
        'check',
        'rendered.yaml',
        '--platform',
        '../_shared',
        '--source-root',
        'charts',
      ]);
      expect(code).toBe(3);
      expect(out).toContain(
        `  WARNING POLICY_PUBLIC_WITHOUT_TLS (Ingress shop/shop-storefront-api) at charts/shop/templates/ingress.yaml:${
          ingresses[1]
        } (rendered.yaml:${lineOf(
          join(helm, 'rendered.yaml'),
          'Ingress',
          'shop-storefront-api',
        )})\n`,
      );
    });

    it('stays at the rendered text when the chart is not under --source-root (default: the current directory)', async () => {
      const argv = ['check', 'rendered.yaml', '--platform', '../_shared'];
      const github = (await run(helm, [...argv, '--format', 'github'])).out;
      expect(github).not.toContain('templates/');
      expect(github).toContain(
        `::warning file=rendered.yaml,line=${lineOf(
          join(helm, 'rendered.yaml'),
          'Ingress',
          'shop-storefront-api',
        )},title=POLICY_PUBLIC_WITHOUT_TLS (Ingress shop/shop-storefront-api)::`,
      );
      // From standard input, nothing in the diff to point at: annotations on the job.
      const piped = await run(
        helm,
        ['check', '-', '--platform', '../_shared', '--format', 'github'],
        rendered,
      );
      expect(piped.code).toBe(3);
      expect(piped.out).not.toContain('file=');
    });

    it('gives the POLICY_* rules of SARIF the level the policy gives them', async () => {
      const rules = async (cwd: string, argv: string[]) =>
        Object.fromEntries(
          JSON.parse(
            (await run(cwd, [...argv, '--format', 'sarif'])).out,
          ).runs[0].tool.driver.rules.flatMap(
            (r: { id: string; defaultConfiguration: { level: string } }) =>
              r.id.startsWith('POLICY_')
                ? [[r.id, r.defaultConfiguration.level]]
                : [],
          ),
        );
      expect(
        await rules(helm, [
          'check',
          'rendered.yaml',
          '--platform',
          '../_shared',
        ]),
      ).toEqual({
        POLICY_LB_EXPOSURE_NOT_ALLOWED: 'error',
        POLICY_PUBLIC_UNRESTRICTED: 'error',
        POLICY_PUBLIC_WITHOUT_TLS: 'warning',
        POLICY_SNAT_BEFORE_ALLOWLIST: 'warning',
      });
      // No policy: the rules' own default, error.
      expect(
        await rules(root, ['check', 'test/scenarios/gate-helm/rendered.yaml']),
      ).toEqual({
        POLICY_LB_EXPOSURE_NOT_ALLOWED: 'error',
        POLICY_PUBLIC_UNRESTRICTED: 'error',
        POLICY_PUBLIC_WITHOUT_TLS: 'error',
        POLICY_SNAT_BEFORE_ALLOWLIST: 'error',
      });
    });
  });

  it('names a file over 5 MB without a line, and a small one with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-big-'));
    const pending = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'shop', namespace: 'web' },
      spec: { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] },
      status: { loadBalancer: {} },
    };
    const padding = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'padding', namespace: 'web' },
      data: { blob: 'x'.repeat(6 * 1024 * 1024) },
    };
    writeFileSync(
      join(dir, 'big.json'),
      JSON.stringify(
        { apiVersion: 'v1', kind: 'List', items: [pending, padding] },
        null,
        1,
      ),
    );
    writeFileSync(
      join(dir, 'small.json'),
      JSON.stringify(
        { apiVersion: 'v1', kind: 'List', items: [pending] },
        null,
        1,
      ),
    );
    const locationOf = async (file: string) => {
      const { code, out } = await run(dir, ['check', file, '--format', 'json']);
      expect(code).toBe(3);
      return JSON.parse(out).findings.find(
        (f: { code: string }) => f.code === 'LB_PENDING',
      ).location;
    };
    expect(await locationOf('big.json')).toEqual({ file: 'big.json' });
    // In JSON too, the line is where the object's mapping starts.
    expect(await locationOf('small.json')).toEqual({
      file: 'small.json',
      line: 5,
    });
  });

  it('names files relative to the repository root in CI output (--root, GITHUB_WORKSPACE)', async () => {
    const fromRoot = await run(gate, [
      'check',
      'cluster',
      '--platform',
      '../_shared',
      '--format',
      'github',
      '--root',
      root,
    ]);
    expect(fromRoot.out).toContain(
      '::error file=test/scenarios/gate-checkout/cluster/checkout.yaml,line=',
    );
    process.env.GITHUB_WORKSPACE = join(root, 'test');
    try {
      const { out } = await run(gate, [
        'check',
        'cluster',
        '--platform',
        '../_shared',
        '--format',
        'sarif',
      ]);
      expect(out).toContain(
        '"uri": "scenarios/gate-checkout/cluster/checkout.yaml"',
      );
    } finally {
      delete process.env.GITHUB_WORKSPACE;
    }
  });

  it('adds the verdict to the GitHub job summary when GITHUB_STEP_SUMMARY is set', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tp-summary-')), 'summary.md');
    writeFileSync(file, '## Earlier steps\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    try {
      await run(gate, [
        'check',
        'cluster',
        '--platform',
        '../_shared',
        '--format',
        'github',
      ]);
      // Other formats leave it alone.
      await run(gate, [
        'check',
        'cluster',
        '--platform',
        '../_shared',
        '--format',
        'sarif',
      ]);
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    const line = lineOf(
      join(gate, 'cluster/checkout.yaml'),
      'Ingress',
      'checkout',
    );
    expect(readFileSync(file, 'utf8').split('\n')).toEqual([
      '## Earlier steps',
      '### Traffic Path check: FAIL',
      '',
      '3 route(s); 2 error(s), 0 warning(s), 0 info; 2 at or above `error`.',
      '',
      '| severity | code | object | where | message |',
      '|---|---|---|---|---|',
      `| error | \`POLICY_PUBLIC_UNRESTRICTED\` | Ingress payments/checkout | \`cluster/checkout.yaml:${line}\` | pay.example.com/checkout (Ingress payments/checkout) is public with no source restriction (load balancer 34.120.10.20) |`,
      `| error | \`POLICY_PUBLIC_WITHOUT_TLS\` | Ingress payments/checkout | \`cluster/checkout.yaml:${line}\` | pay.example.com/checkout (Ingress payments/checkout) is public without TLS |`,
      '',
    ]);
  });

  it('reports a malformed object as an input error at its file and still gates the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-check-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: v1\nkind: Service\nmetadata:\n  namespace: x\nspec: {}\n',
    );
    const { code, out } = await run(dir, [
      'check',
      'bad.yaml',
      join(gate, 'cluster'),
      '--platform',
      join(root, 'test/scenarios/_shared'),
      '--format',
      'json',
      '--policy',
      join(gate, '.traffic-path.yaml'),
    ]);
    expect(code).toBe(3);
    const result = JSON.parse(out);
    const input = result.findings.find(
      (f: { code: string }) => f.code === 'INPUT_ERROR',
    );
    expect(input).toMatchObject({
      severity: 'warning',
      location: { file: 'bad.yaml' },
    });
    expect(input.message).toMatch(/metadata\.name/);
    expect(result.failing).toBe(2);
  });

  it('lets the checked manifests replace the platform copy of an object without a duplicate error', async () => {
    const { out } = await run(gate, [
      'check',
      'cluster',
      '../_shared/ingress-nginx.yaml',
      '--platform',
      '../_shared',
      '--format',
      'json',
    ]);
    const result = JSON.parse(out);
    expect(
      result.findings.filter((f: { code: string }) => f.code === 'INPUT_ERROR'),
    ).toEqual([]);
    // Checked now, the controller's own Service is judged: the policy allows only internal outside payments.
    expect(
      result.findings.some(
        (f: { code: string; object: { name: string } }) =>
          f.code === 'POLICY_LB_EXPOSURE_NOT_ALLOWED' &&
          f.object.name === 'ingress-nginx-controller',
      ),
    ).toBe(true);
  });

  it('exits 2 on a policy that breaks its schema, naming file and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-policy-'));
    writeFileSync(
      join(dir, '.traffic-path.yaml'),
      'rules:\n  publicNeedsTls: { severity: fatal }\n  loadBalancerExposure:\n    namespaces: { app: [external] }\n  noSuchRule: {}\n',
    );
    const { code, err } = await run(dir, ['check', join(gate, 'cluster')]);
    expect(code).toBe(2);
    expect(err).toContain(
      'traffic-path: invalid policy (schema: docs/policy.schema.json)',
    );
    expect(err).toContain(
      '.traffic-path.yaml: field rules.publicNeedsTls.severity must be equal to one of the allowed values: error, warning, info',
    );
    expect(err).toContain(
      '.traffic-path.yaml: field rules.loadBalancerExposure.namespaces.app.0 must be equal to one of the allowed values: public, internal',
    );
    expect(err).toContain(
      '.traffic-path.yaml: field rules must NOT have additional properties (noSuchRule)',
    );
    expect(err).not.toContain('undefined');
    const missing = await run(dir, [
      'check',
      join(gate, 'cluster'),
      '--policy',
      'nope.yaml',
    ]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toContain('--policy nope.yaml: no such file');
  });

  it('exits 1, never 0, when it fails itself (here: the report cannot be written)', async () => {
    let err = '';
    const code = await main(['check', 'cluster', '--platform', '../_shared'], {
      out: () => {
        throw new Error('EPIPE: broken pipe');
      },
      err: t => (err += t),
      cwd: fixed,
    });
    expect(code).toBe(1);
    expect(err).toContain(
      'traffic-path: internal error: Error: EPIPE: broken pipe',
    );
  });

  it.each([
    ['check', ['check', '-', '--platform', '../_shared']],
    ['diff', ['diff', 'cluster', '--', '-']],
    ['docs', ['docs', '-', '--out', 'unwritten-docs']],
  ])(
    'exits 1, never 0, when %s fails itself (here: standard input cannot be read)',
    async (_, argv) => {
      let err = '';
      const code = await main(argv, {
        out: () => undefined,
        err: t => (err += t),
        cwd: fixed,
        stdin: async () => {
          throw new Error('EIO: i/o error, read');
        },
      });
      expect({ code, err: err.split('\n')[0] }).toEqual({
        code: 1,
        err: 'traffic-path: internal error: Error: EIO: i/o error, read',
      });
    },
  );

  it('exits 1 when diff cannot write its report, as check does', async () => {
    let err = '';
    const code = await main(['diff', 'cluster', '--', 'cluster'], {
      out: () => {
        throw new Error('EPIPE: broken pipe');
      },
      err: t => (err += t),
      cwd: fixed,
    });
    expect(code).toBe(1);
    expect(err).toContain(
      'traffic-path: internal error: Error: EPIPE: broken pipe',
    );
  });

  it('exits 2 on usage errors and unreadable input', async () => {
    const cases: [string[], string][] = [
      [['check'], 'check: name at least one file or directory'],
      [
        ['check', 'test/scenarios/seed-004/cluster', '--fail-on', 'fatal'],
        '--fail-on must be one of error, warning, info',
      ],
      [
        ['check', 'test/scenarios/seed-004/cluster', '--format', 'xml'],
        '--format must be one of table, json, sarif, junit, github',
      ],
      [
        ['check', 'test/scenarios/seed-004/cluster', '--bogus'],
        "Unknown option '--bogus'",
      ],
      [['check', 'no/such/dir'], 'no/such/dir: no such file or directory'],
      [
        ['check', 'test/scenarios/seed-004/cluster', '--source-root'],
        "Option '--source-root <value>' argument missing",
      ],
      [
        [
          'check',
          'test/scenarios/seed-004/cluster',
          '--source-root',
          'no/charts',
        ],
        '--source-root no/charts: no such file or directory',
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await run(root, argv);
      expect({ argv, code, has: err.includes(message) }).toEqual({
        argv,
        code: 2,
        has: true,
      });
    }
    const empty = await run(root, ['check', '-'], 'just: text\n');
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('no Kubernetes objects in -');
  });

  it('keeps the policy documented and its schema in docs/ equal to the one the CLI applies', () => {
    expect(readFileSync(join(root, 'docs/policy.schema.json'), 'utf8')).toBe(
      readFileSync(join(__dirname, '../policy.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ strict: false }).compile(
      JSON.parse(readFileSync(join(root, 'docs/policy.schema.json'), 'utf8')),
    );
    for (const dir of [gate, fixed, helm])
      expect(
        validate(parse(readFileSync(join(dir, '.traffic-path.yaml'), 'utf8'))),
      ).toBe(true);
    const doc = readFileSync(join(root, 'docs/findings.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Policy findings'));
    for (const code of [
      'POLICY_PUBLIC_UNRESTRICTED',
      'POLICY_PUBLIC_WITHOUT_TLS',
      'POLICY_LB_EXPOSURE_NOT_ALLOWED',
      'POLICY_SNAT_BEFORE_ALLOWLIST',
      'INPUT_ERROR',
    ])
      expect({ code, documented: section.includes(`### ${code}\n`) }).toEqual({
        code,
        documented: true,
      });
  });
});

import fc from 'fast-check';
import { catalogRevision } from '../../src/catalog/index.js';
import { linuxPolicies, type Role } from '../../src/catalog/roles.js';
import { features, type Revision } from '../../src/catalog/types.js';
import type { Deployment, Host } from '../../src/topology/types.js';
import { deployment, host } from './build.js';

/*
 * Deployments for the property tests of planning by class (test/property/plan-classes.property.test.ts) and of the
 * plan's formats written from classes (test/property/plan-stream.property.test.ts).
 */

/**
 * Servers the shapes' relationships name (ms0, gw0, dc0, ...) and servers no one names (web0, sql0, browser0, with a
 * role the generator draws), with domains and zones that domain pairing can match or miss.
 */
function serverHosts(revision: Revision, drawn: readonly Role[][]): Host[] {
  const known = catalogRevision(revision).roles;
  const newer = revision === '2024-11';
  const list: [string, Role[], Partial<Host>][] = [
    ['ms0', ['management-server'], { zone: 'core' }],
    ['ms1', ['management-server'], { zone: 'branch' }],
    ['ms2', ['management-server'], { zone: 'core', ...(newer ? { domain: 'lab.example' } : {}) }],
    ['gw0', ['gateway'], { zone: 'branch', reportsTo: ['ms0'] }],
    ['gw1', ['gateway'], { zone: 'core', reportsTo: ['ms1', 'ms0'], managementServerInitiatesConnection: true }],
    ['dc0', ['domain-controller', 'dns-server'], { zone: 'core', ...(newer ? { domain: 'corp.example' } : {}) }],
    ['dc1', ['domain-controller', 'dns-server'], { zone: 'branch', ...(newer ? { domain: 'lab.example' } : {}) }],
    ['dns0', ['dns-server'], { zone: 'core' }],
    ['web0', ['web-console-server'], { zone: 'core' }],
    ['sql0', ['operational-database', 'data-warehouse'], { zone: 'core' }],
    ['browser0', ['web-console-browser'], { zone: 'branch' }],
    ['acs0', ['acs-collector'], { zone: 'core' }],
    ['acs1', ['acs-collector'], { zone: 'branch' }],
    // Alike but for their names, and only the second is named by relationships: naming must keep them apart.
    ['acs2', ['acs-collector'], { zone: 'core' }],
    ['acs3', ['acs-collector'], { zone: 'core' }],
    ['dc2', ['domain-controller'], { zone: 'branch' }],
    ['dc3', ['domain-controller'], { zone: 'branch' }],
    ['x0', drawn[0] ?? ['agent'], { zone: 'core' }],
    ['x1', drawn[1] ?? ['agent'], { zone: 'branch', ...(newer ? { domain: 'corp.example' } : {}) }],
  ];
  return list.map(([name, roles, extra]) => host(name, roles.filter((r) => known.includes(r)), extra)).filter((h) => h.roles.length > 0);
}

/** Roles whose flows depend on a setting or a relationship of their own: classes of them must keep those apart. */
const listeners: readonly Role[][] = [
  ['operational-database', 'data-warehouse'],
  ['acs-database'],
  ['web-console-server'],
  ['unix-agent'],
  ['network-device'],
  ['gateway'],
  ['operations-console'],
  ['acs-forwarder'],
  ['web-console-browser'],
  ['domain-controller'],
  ['dns-server'],
  ['agent', 'web-console-browser'],
];

/** A host shape: every planning field, chosen from few values so that several hosts share them. */
function arbShape(revision: Revision) {
  const roles = catalogRevision(revision).roles;
  const newer = revision === '2024-11';
  const some = (from: readonly string[]) => fc.option(fc.uniqueArray(fc.constantFrom(...from), { minLength: 1, maxLength: 3 }), { nil: undefined });
  return fc.record({
    roles: fc.oneof(
      { weight: 4, arbitrary: fc.constant(['agent'] as Role[]) },
      { weight: 4, arbitrary: fc.constantFrom(...listeners.map((r) => r.filter((x) => roles.includes(x))).filter((r) => r.length > 0)) },
      { weight: 2, arbitrary: fc.uniqueArray(fc.constantFrom(...roles), { minLength: 1, maxLength: 3 }) },
    ),
    zone: fc.constantFrom('core', 'branch'),
    os: fc.option(fc.constantFrom('windows' as const, 'linux' as const, 'other' as const), { nil: undefined }),
    reportsTo: some(['ms0', 'ms1', 'ms2', 'gw0', 'gw1', 'a3', 'a7']),
    managementServers: some(['ms0', 'ms1', 'ms2']),
    acsCollectors: some(['acs0', 'acs1', 'acs3', 'a2']),
    domainControllers: newer ? some(['dc0', 'dc1', 'dc3', 'a5']) : fc.constant(undefined),
    domain: newer ? fc.option(fc.constantFrom('corp.example', 'lab.example'), { nil: undefined }) : fc.constant(undefined),
    authentication: newer ? fc.option(fc.constantFrom('kerberos' as const, 'certificate' as const), { nil: undefined }) : fc.constant(undefined),
    install: newer ? fc.option(fc.constantFrom('push' as const, 'manual' as const), { nil: undefined }) : fc.constant(undefined),
    sqlBrowser: fc.boolean(),
    webConsoleTls: fc.boolean(),
    ports: fc.option(fc.record({ sqlPort: fc.constantFrom(1433, 14330), webConsolePort: fc.constantFrom(80, 8080) }, { requiredKeys: [] }), { nil: undefined }),
    linuxPolicy: fc.option(fc.constantFrom(...linuxPolicies), { nil: undefined }),
    managementServerInitiatesConnection: fc.option(fc.boolean(), { nil: undefined }),
  });
}

type Shape = ReturnType<typeof arbShape> extends fc.Arbitrary<infer S> ? S : never;

/** The field a copy of a shape changes (one each), or its addresses (a pool, a dual-stack host). */
const changes = [
  'zone', 'os', 'roles', 'reportsTo', 'managementServers', 'acsCollectors', 'domainControllers', 'domain', 'authentication', 'install',
  'sqlBrowser', 'tls', 'port', 'linuxPolicy', 'initiates', 'pool', 'dualStack',
] as const;
type Change = (typeof changes)[number] | 'none';

/** Half the copies are exact copies of their shape (a class), half differ in one field. */
const arbCopy = fc.record({
  shape: fc.nat(),
  change: fc.oneof(fc.constant<Change>('none'), fc.constantFrom<Change>(...changes)),
  rank: fc.nat({ max: 999 }),
});

function hostOf(name: string, shape: Shape, change: Change, n: number): Host {
  const extra: { -readonly [K in keyof Host]?: Host[K] } = {
    zone: change === 'zone' ? 'elsewhere' : shape.zone,
    sqlBrowser: change === 'sqlBrowser' ? !shape.sqlBrowser : shape.sqlBrowser,
    webConsoleTls: change === 'tls' ? !shape.webConsoleTls : shape.webConsoleTls,
    ports: change === 'port' ? { ...shape.ports, sqlPort: 2433, webConsolePort: 8443 } : (shape.ports ?? {}),
  };
  const other = (list: readonly string[] | undefined, instead: string) => (list ? (list.length > 1 ? list.slice(1) : undefined) : [instead]);
  const optional = {
    os: change === 'os' ? (shape.os === 'other' ? 'linux' : 'other') : shape.os,
    reportsTo: change === 'reportsTo' ? other(shape.reportsTo, 'ms1') : shape.reportsTo,
    managementServers: change === 'managementServers' ? other(shape.managementServers, 'ms2') : shape.managementServers,
    acsCollectors: change === 'acsCollectors' ? other(shape.acsCollectors, 'acs1') : shape.acsCollectors,
    domainControllers: change === 'domainControllers' ? other(shape.domainControllers, 'dc1') : shape.domainControllers,
    domain: change === 'domain' ? (shape.domain === undefined ? 'corp.example' : undefined) : shape.domain,
    authentication: change === 'authentication' ? (shape.authentication === 'certificate' ? 'kerberos' : 'certificate') : shape.authentication,
    install: change === 'install' ? (shape.install === 'push' ? 'manual' : 'push') : shape.install,
    linuxPolicy: change === 'linuxPolicy' ? linuxPolicies.find((p) => p !== shape.linuxPolicy) : shape.linuxPolicy,
    managementServerInitiatesConnection: change === 'initiates' ? !shape.managementServerInitiatesConnection : shape.managementServerInitiatesConnection,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (extra as Record<string, unknown>)[k] = v;
  if (change === 'pool') extra.addressTexts = [`10.77.${n % 250}.0/29`];
  if (change === 'dualStack') extra.addressTexts = [`10.78.${n % 250}.1`, `fd00::${(n + 1).toString(16)}`];
  return host(name, change === 'roles' ? [...shape.roles, shape.roles.includes('agent') ? 'web-console-browser' : 'agent'] : shape.roles, extra);
}

/**
 * Deployments with many alike hosts (copies of a few host shapes) beside hosts that differ in one field, hosts
 * that others name, pools and connected groups. `oddNames` also draws names longer than the plan table's column
 * and names with characters CSV, Markdown and JSON escape.
 */
export function arbDeployment(revision: Revision, { oddNames = false } = {}): fc.Arbitrary<Deployment> {
  return fc
    .record({
      shapes: fc.array(arbShape(revision), { minLength: 1, maxLength: 4 }),
      copies: fc.array(arbCopy, { minLength: 4, maxLength: 30 }),
      serverRoles: fc.array(fc.constantFrom<Role[]>(...listeners, ['management-server'], ['management-server', 'dns-server']), { minLength: 2, maxLength: 2 }),
      withServers: fc.boolean(),
      connected: fc.nat({ max: 2 }),
      connectedReading: fc.constantFrom('connected-groups-page' as const, 'firewall-table' as const),
      phase: fc.constantFrom('install' as const, 'operate' as const),
      on: fc.subarray([...features]),
      agentDomainServices: fc.boolean(),
      suffix: oddNames ? fc.array(fc.constantFrom('', '', '.a-very-long-domain-name.example', '"q"', ',c', '|p_*', '\u00e9'), { minLength: 30, maxLength: 30 }) : fc.constant([] as string[]),
    })
    .map(({ shapes, copies, serverRoles, withServers, connected, connectedReading, phase, on, agentDomainServices, suffix }) => {
      const newer = revision === '2024-11';
      const named = withServers ? serverHosts(revision, serverRoles) : [];
      // Names whose sort order is not the deployment order (a10 before a2), so the expansion has to order them.
      const hosts = copies.map((c, i) => hostOf(`a${(c.rank * 7 + i) % 1000}x${i}${suffix[i] ?? ''}`, shapes[c.shape % shapes.length]!, c.change, i));
      // a2, a3, a5, a7 are named by relationship lists: give some hosts those names.
      const alias = hosts.map((h, i) => ([2, 3, 5, 7].includes(i) ? { ...h, name: `a${i}` } : h));
      const all = [...named, ...alias];
      const cms = Array.from({ length: connected }, (_, i) => host(`c${i}`, ['management-server']));
      return deployment(all, { catalog: revision, phase, features: newer ? [...on, ...(agentDomainServices ? (['agentDomainServices'] as const) : [])] : [], connected: cms, connectedReading });
    });
}

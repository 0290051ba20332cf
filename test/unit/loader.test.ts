import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { relationshipRoles, roles } from '../../src/catalog/index.js';
import { AddressSet } from '../../src/net/index.js';
import { deploymentJsonSchema, loadDeployment, UserErrors, type Deployment, type UserError } from '../../src/topology/index.js';
import { relationships, targetRolesFor } from '../../src/topology/rules.js';
import { connectedServerSchema, hostSchema } from '../../src/topology/schema.js';
import { closestMatch } from '../../src/topology/suggest.js';

const repo = join(import.meta.dirname, '..', '..');

/** A valid file that uses every key the format has. */
const everyKey = `# yaml-language-server: $schema=../schema/deployment.schema.json
managementGroup: CONTOSO
catalog: "2024-11"
phase: operate
features:
  omed: true
  applicationDiagnostics: true
  applicationAdvisor: false
  managementPackCatalog: true
  acsReporting: true
  sdkConnectors: false
  agentDomainServices: true
managementAccess: [tcp/22@10.9.0.0/24, udp/161-162@10.9.1.5-10.9.1.9]
hosts:
  - name: ms01.contoso.com
    description: Primary management server (rack 4)
    address: 10.0.1.11
    zone: corp
    roles: [management-server, acs-collector]
    os: windows
    agentPort: 15723
    acsPort: 15909
    domain: CONTOSO.com
    domainControllers: [dc01]
  - name: dc01
    address: 10.0.0.5
    zone: corp
    roles: [domain-controller, dns-server]
    domain: contoso.com
  - name: gw01.dmz.contoso.com
    address: 192.168.50.5
    zone: dmz
    roles: [gateway]
    reportsTo: [MS01.contoso.com]
    managementServerInitiatesConnection: true
  - name: sql01
    addresses: [10.0.2.10, fd00:2::10]
    roles: [operational-database, data-warehouse, acs-database]
    sqlPort: 1435
    sqlBrowser: true
  - name: web01
    address: 10.0.1.40
    roles: [web-console-server, reporting-server, aem-file-share, ceip-endpoint]
    webConsolePort: 8443
    webConsoleTls: true
    reportingPort: 8080
    aemPort: 15906
    ceipPort: 15907
    managementServers: [ms01.contoso.com]
  - name: servers
    addresses: [10.20.0.0/16, 10.21.4.10-10.21.4.60, 10.22.0.0-10.22.0.255, "fd00:20::/64"]
    roles: [agent, acs-forwarder]
    install: push
    authentication: certificate
    reportsTo: [gw01.dmz.contoso.com, ms01.contoso.com]
    acsCollectors: [ms01.contoso.com]
  - name: linux
    addresses: [10.30.0.0/24]
    roles: [unix-agent]
    linuxPolicy: drop-unplanned
    sshPort: 2222
    reportsTo: [gw01.dmz.contoso.com]
  - name: switches
    addresses: [10.0.254.1-10.0.254.4]
    roles: [network-device]
  - name: mpc-proxy
    address: 10.0.0.80
    roles: [management-pack-catalog]
connectedGroups:
  - name: FABRIKAM
    reading: firewall-table
    managementServers:
      - name: ms01.fabrikam.com
        address: 10.80.0.5
        zone: fabrikam
      - name: ms02.fabrikam.com
        addresses: [10.80.0.6]
`;

/** A host as the loader makes it; `address` for one written as `address:` (which keeps no addressTexts). */
const host = ({ address, ...h }: Omit<Deployment['hosts'][number], 'addresses' | 'zone' | 'ports' | 'sqlBrowser' | 'webConsoleTls'> & Partial<Deployment['hosts'][number]> & { address?: string }) => ({
  zone: 'default',
  ports: {},
  sqlBrowser: false,
  webConsoleTls: false,
  ...h,
  addresses: AddressSet.parse(address !== undefined ? [address] : (h.addressTexts ?? [])),
});

const expected: Deployment = {
  managementGroup: 'CONTOSO',
  catalog: '2024-11',
  phase: 'operate',
  features: { omed: true, applicationDiagnostics: true, applicationAdvisor: false, managementPackCatalog: true, acsReporting: true, sdkConnectors: false, agentDomainServices: true },
  managementAccess: ['tcp/22@10.9.0.0/24', 'udp/161-162@10.9.1.5-10.9.1.9'],
  file: 'every-key.yaml',
  hosts: [
    host({ name: 'ms01.contoso.com', address: '10.0.1.11', zone: 'corp', roles: ['management-server', 'acs-collector'], os: 'windows', ports: { agentPort: 15723, acsPort: 15909 }, domain: 'contoso.com', domainControllers: ['dc01'] }),
    host({ name: 'dc01', address: '10.0.0.5', zone: 'corp', roles: ['domain-controller', 'dns-server'], os: 'windows', domain: 'contoso.com' }),
    host({ name: 'gw01.dmz.contoso.com', address: '192.168.50.5', zone: 'dmz', roles: ['gateway'], os: 'windows', reportsTo: ['ms01.contoso.com'], managementServerInitiatesConnection: true }),
    host({ name: 'sql01', addressTexts: ['10.0.2.10', 'fd00:2::10'], roles: ['operational-database', 'data-warehouse', 'acs-database'], os: 'windows', ports: { sqlPort: 1435 }, sqlBrowser: true }),
    host({
      name: 'web01',
      address: '10.0.1.40',
      roles: ['web-console-server', 'reporting-server', 'aem-file-share', 'ceip-endpoint'],
      os: 'windows',
      ports: { webConsolePort: 8443, reportingPort: 8080, aemPort: 15906, ceipPort: 15907 },
      webConsoleTls: true,
      managementServers: ['ms01.contoso.com'],
    }),
    host({
      name: 'servers',
      addressTexts: ['10.20.0.0/16', '10.21.4.10-10.21.4.60', '10.22.0.0/24', 'fd00:20::/64'],
      roles: ['agent', 'acs-forwarder'],
      os: 'windows',
      install: 'push',
      authentication: 'certificate',
      reportsTo: ['gw01.dmz.contoso.com', 'ms01.contoso.com'],
      acsCollectors: ['ms01.contoso.com'],
    }),
    host({ name: 'linux', addressTexts: ['10.30.0.0/24'], roles: ['unix-agent'], os: 'linux', ports: { sshPort: 2222 }, reportsTo: ['gw01.dmz.contoso.com'] , linuxPolicy: 'drop-unplanned' }),
    host({ name: 'switches', addressTexts: ['10.0.254.1-10.0.254.4'], roles: ['network-device'], os: 'other' }),
    host({ name: 'mpc-proxy', address: '10.0.0.80', roles: ['management-pack-catalog'], os: 'other' }),
  ],
  connectedGroups: [
    {
      name: 'FABRIKAM',
      reading: 'firewall-table',
      managementServers: [
        host({ name: 'ms01.fabrikam.com', address: '10.80.0.5', zone: 'fabrikam', roles: ['management-server'], os: 'windows', connectedGroup: 'FABRIKAM', connectedReading: 'firewall-table' }),
        host({ name: 'ms02.fabrikam.com', addressTexts: ['10.80.0.6'], roles: ['management-server'], os: 'windows', connectedGroup: 'FABRIKAM', connectedReading: 'firewall-table' }),
      ],
    },
  ],
};

/** The deployment without the loader's warnings (every-key has servers nobody uses: they are warned about). */
function withoutWarnings(d: Deployment): Deployment {
  return Object.fromEntries(Object.entries(d).filter(([key]) => key !== 'warnings')) as Deployment;
}

/** The errors a refused text gives; fails the test when the text loads. */
function refusal(text: string, file = 'd.yaml'): UserError[] {
  try {
    loadDeployment(text, file);
  } catch (e) {
    if (e instanceof UserErrors) return [...e.errors];
    throw e;
  }
  throw new Error('the text loaded');
}

const minimal = (hosts: string) => `managementGroup: CONTOSO\nhosts:\n${hosts}`;
const ms01 = '  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server]\n';

describe('loadDeployment: a valid file', () => {
  it('reads every key of the format into the Deployment', () => {
    expect(withoutWarnings(loadDeployment(everyKey, 'every-key.yaml'))).toEqual(expected);
  });

  it('reads the same file written as JSON into the same Deployment', () => {
    const json = JSON.stringify(parseYaml(everyKey), null, 2);
    expect(withoutWarnings(loadDeployment(json, 'every-key.json'))).toEqual({ ...expected, file: 'every-key.json' });
  });

  it('reads JSON whatever the file name when the text starts with "{", and YAML flow style too', () => {
    const json = JSON.stringify(parseYaml(everyKey));
    expect(withoutWarnings(loadDeployment(json, 'every-key.yaml'))).toEqual({ ...expected, file: 'every-key.yaml' });
    const flow = '{managementGroup: X, hosts: [{name: ms01, address: 10.0.0.1, roles: [management-server]}]}';
    expect(loadDeployment(flow, 'flow.yaml').hosts.map((h) => h.name)).toEqual(['ms01']);
  });

  it('takes the defaults the format documents, and keeps only the port settings the file writes', () => {
    const d = loadDeployment(minimal(`${ms01}  - name: agents\n    addresses: [10.1.0.0/24]\n    roles: [agent]\n`), 'd.yaml');
    expect(d.catalog).toBe('2024-11');
    expect(d.phase).toBe('install');
    expect(d.features).toEqual({ omed: false, applicationDiagnostics: false, applicationAdvisor: false, managementPackCatalog: false, acsReporting: false, sdkConnectors: false, agentDomainServices: false });
    expect(d.connectedGroups).toEqual([]);
    const agents = d.hosts[1];
    expect(agents).toMatchObject({ zone: 'default', os: 'windows', ports: {}, sqlBrowser: false, webConsoleTls: false });
    expect(agents).not.toHaveProperty('reportsTo');
    expect(agents).not.toHaveProperty('install');
  });

  it('ignores a leading byte order mark and accepts a $schema key for editors', () => {
    expect(loadDeployment(`\ufeff${minimal(ms01)}`, 'd.yaml').hosts).toHaveLength(1);
    expect(loadDeployment(JSON.stringify({ $schema: './schema/deployment.schema.json', managementGroup: 'X', hosts: [{ name: 'a', address: '10.0.0.1', roles: ['agent'] }, { name: 'm', address: '10.0.0.2', roles: ['management-server'] }] }), 'd.json').hosts).toHaveLength(2);
  });

  it('expands YAML anchors and aliases', () => {
    const text = minimal(`${ms01}  - name: a1\n    address: 10.0.0.2\n    roles: [agent]\n    reportsTo: &primary [ms01]\n  - name: a2\n    address: 10.0.0.3\n    roles: [agent]\n    reportsTo: *primary\n`);
    expect(loadDeployment(text, 'd.yaml').hosts[2]?.reportsTo).toEqual(['ms01']);
  });

  it('loads the bundled examples', () => {
    for (const file of ['examples/contoso.yaml', 'examples/minimal.yaml']) {
      expect(loadDeployment(readFileSync(join(repo, file), 'utf8'), file).hosts.length).toBeGreaterThan(0);
    }
  });
});

describe('loadDeployment: refusals', () => {
  it('reports every problem in one run, in file order', () => {
    const text = minimal(`  - name: ms01\n    address: 10.0.0.300\n    roles: [managment-server]\n    colour: blue\n  - name: ms01\n    addresses: [10.0.0.1/8]\n    roles: [agent]\n`);
    const errors = refusal(text);
    expect(errors.map((e) => `${e.position?.line}:${e.position?.column}`)).toEqual(['4:14', '5:13', '6:5', '7:11', '8:17']);
  });

  it('reports one mistake once: a misspelt role does not also make its host fail role checks', () => {
    const errors = refusal(minimal(`${ms01}  - name: a1\n    address: 10.0.0.2\n    roles: [agnet]\n    reportsTo: [ms01]\n    install: push\n`));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.hint).toBe('did you mean agent?');
  });

  it('names the line of the first of two duplicates in the hint', () => {
    const [error] = refusal(minimal(`${ms01}  - name: MS01\n    address: 10.0.0.2\n    roles: [agent]\n`));
    expect(error?.hint).toMatch(/the first is on line 3$/);
  });

  it('refuses duplicate keys in JSON, which JSON.parse would resolve silently', () => {
    const [error] = refusal('{\n  "managementGroup": "A",\n  "managementGroup": "B",\n  "hosts": []\n}', 'd.json');
    expect(error?.position).toEqual({ file: 'd.json', line: 3, column: 3 });
    expect(error?.hint).toMatch(/the first is on line 2$/);
  });

  it('locates validation problems in JSON at the value, the key, or the object that lacks a key', () => {
    const json = '{\n  "managementGroup": "X",\n  "hosts": [\n    { "name": "a", "address": "10.0.0.1", "roles": ["agent"], "colour": 1 },\n    { "name": "b", "address": "10.0.0.2" }\n  ]\n}';
    const errors = refusal(json, 'd.json');
    expect(errors.map((e) => [e.position?.line, e.position?.column, e.message.split(':')[0]])).toEqual([
      [4, 63, 'hosts[0].colour'],
      [5, 5, 'hosts[1]'],
    ]);
  });

  it('points at a JSON syntax error that V8 does not locate', () => {
    const [error] = refusal('{\n  "managementGroup": \'X\'\n}', 'd.json');
    expect(error?.position).toEqual({ file: 'd.json', line: 2, column: 22 });
    expect(error?.hint).toBe('JSON strings take double quotes');
  });

  it('refuses JSON with comments when the file says .json, and reads it as YAML otherwise', () => {
    const text = '{ "managementGroup": "X", # comment\n "hosts": [{"name": "a", "address": "10.0.0.1", "roles": ["agent"]}, {"name": "m", "address": "10.0.0.2", "roles": ["management-server"]}] }';
    expect(refusal(text, 'd.json')[0]?.hint).toMatch(/no comments/);
    expect(() => loadDeployment(text, 'd.yaml')).not.toThrow();
  });

  it('refuses unresolved YAML tags, several documents and aliases to nothing', () => {
    expect(refusal(minimal(ms01).replace('CONTOSO', '!secret CONTOSO'))[0]?.message).toMatch(/Unresolved tag/);
    expect(refusal(`${minimal(ms01)}---\nmanagementGroup: B\n`)[0]?.position?.line).toBe(6);
    expect(refusal(minimal(ms01).replace('10.0.0.1', '*nowhere'))[0]?.position).toMatchObject({ line: 4, column: 14 });
  });

  it('refuses an alias bomb without expanding it', () => {
    const levels = Array.from({ length: 12 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`);
    const bomb = `l0: &l0 [x]\n${levels.join('\n')}\n`;
    expect(refusal(bomb)[0]?.message).toMatch(/alias/i);
  });

  it('refuses deeply nested junk, huge numbers and nulls with positioned errors', () => {
    const inputs: [string, string][] = [
      ['['.repeat(50_000), 'deep.yaml'],
      [`{"hosts": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`, 'deep.json'],
      [minimal(`  - name: sql\n    address: 10.0.0.1\n    roles: [operational-database]\n    sqlPort: 1e400\n`), 'big.yaml'],
      ['{"managementGroup": null, "hosts": [null, {"name": null, "roles": null, "address": null}]}', 'null.json'],
      ['\u0000\u0001\u0002\u00ff\ufffe', 'junk.yaml'],
    ];
    for (const [text, file] of inputs) {
      const errors = refusal(text, file);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => (e.position?.line ?? 0) >= 1 && (e.position?.column ?? 0) >= 1 && e.hint)).toBe(true);
    }
  });

  it('refuses, quickly, YAML that would hang or crash the YAML library', () => {
    const start = performance.now();
    const inputs = ['? '.repeat(300) + 'x', '- '.repeat(20_000) + 'x', '['.repeat(200_000), `a:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}b:`).join('\n')}`];
    for (const text of inputs) expect(refusal(text)[0]?.message).toMatch(/levels of nesting/);
    expect(refusal('? [a, b]\n: 1\n')[0]?.message).toMatch(/found a list or mapping used as a key/);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('refuses a relationship to a connected group\'s management server', () => {
    const text = `${minimal(`${ms01}  - name: a1\n    address: 10.0.0.2\n    roles: [agent]\n    reportsTo: [ms09]\n`)}connectedGroups:\n  - name: FABRIKAM\n    managementServers: [{ name: ms09, address: 10.9.0.1 }]\n`;
    expect(refusal(text)[0]?.message).toMatch(/management server of connected group FABRIKAM/);
  });

  it('refuses a connected group named like this group or listed twice, and still checks its servers', () => {
    const group = (name: string, server: string) => `  - name: ${name}\n    managementServers: [{ name: ${server}, address: 10.9.0.300 }]\n`;
    const text = `${minimal(ms01)}connectedGroups:\n${group('contoso', 'a.fabrikam')}${group('FABRIKAM', 'b.fabrikam')}${group('fabrikam', 'c.fabrikam')}`;
    const messages = refusal(text).map((e) => `${e.position?.line}: ${e.message}`);
    expect(messages.filter((m) => m.includes("this group's own name"))).toEqual(['7: connectedGroups[0].name: expected the name of another management group, found "contoso", this group\'s own name']);
    expect(messages.filter((m) => m.includes('each connected group once'))).toHaveLength(1);
    expect(messages.filter((m) => m.includes('10.9.0.300'))).toHaveLength(3);
  });

  it('stops suggesting names after a budget, so many unknown names stay linear', () => {
    const agents = Array.from({ length: 30 }, (_, i) => `  - name: a${i}\n    address: 10.0.1.${i}\n    roles: [agent]\n    reportsTo: [ms1]\n`).join('');
    const hints = refusal(minimal(ms01 + agents)).map((e) => e.hint);
    expect(hints.filter((h) => h === 'did you mean ms01?')).toHaveLength(20);
    expect(hints.filter((h) => h?.startsWith('define a host'))).toHaveLength(10);
  });
});

describe('schema/deployment.schema.json', () => {
  it('is the committed output of deploymentJsonSchema() (regenerate with `scomfw schema > schema/deployment.schema.json`)', () => {
    const committed = readFileSync(join(repo, 'schema', 'deployment.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(deploymentJsonSchema(), null, 2)}\n`);
  });

  it('gives every property a title and a description, for editor completion', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, Record<string, unknown>> }).properties ?? {};
      for (const [key, value] of Object.entries(properties)) {
        if (typeof value.title !== 'string' || typeof value.description !== 'string') missing.push(`${path}.${key}`);
      }
      for (const value of Object.values(node)) walk(value, path);
    };
    walk(deploymentJsonSchema(), '');
    expect(missing).toEqual([]);
  });

  it('uses draft 2020-12 and no non-standard formats', () => {
    const text = JSON.stringify(deploymentJsonSchema());
    expect(deploymentJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(text).not.toMatch(/"format"/);
  });
});

describe('host schemas', () => {
  it('have no defaults or transforms, so the loader may keep a valid input instead of zod\'s copy', () => {
    const everyHostKey = (parseYaml(everyKey) as { hosts: Record<string, unknown>[] }).hosts;
    for (const host of everyHostKey) expect(hostSchema.parse(host)).toEqual(host);
    const server = { name: 'ms01.fabrikam.com', address: '10.80.0.5' };
    expect(connectedServerSchema.parse(server)).toEqual(server);
  });
});

describe('relationship rules', () => {
  it('let exactly the catalog\'s carrier roles carry each relationship', () => {
    for (const relationship of relationships) {
      const carriers = roles.filter((r) => targetRolesFor(relationship, [r]).length > 0);
      expect(carriers.sort()).toEqual([...relationshipRoles[relationship]].sort());
    }
  });

  it('ask a target to suit every role through which a host carries the relationship', () => {
    expect(targetRolesFor('reportsTo', ['agent'])).toEqual(['management-server', 'gateway']);
    expect(targetRolesFor('reportsTo', ['agent', 'gateway'])).toEqual(['management-server', 'gateway']);
    expect(targetRolesFor('reportsTo', ['agent', 'network-device'])).toEqual(['management-server', 'gateway']);
    expect(targetRolesFor('reportsTo', ['agent', 'acs-forwarder'])).toEqual(['management-server', 'gateway']);
  });
});

describe('closestMatch', () => {
  it('finds typos, swaps and case slips, and nothing for unrelated words', () => {
    expect(closestMatch('reportTo', ['reportsTo', 'roles'])).toBe('reportsTo');
    expect(closestMatch('mangement-server', roles)).toBe('management-server');
    expect(closestMatch('agnet', roles)).toBe('agent');
    expect(closestMatch('SQLPORT', ['sqlPort'])).toBe('sqlPort');
    expect(closestMatch('banana', roles)).toBeUndefined();
  });
});

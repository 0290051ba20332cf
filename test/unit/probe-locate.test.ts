import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { derivePlan } from '../../src/plan/derive.js';
import { locateSelf } from '../../src/probe/locate.js';
import { UserError } from '../../src/topology/errors.js';
import { loadDeployment } from '../../src/topology/index.js';

const deployment = loadDeployment(
  `managementGroup: LOC
hosts:
  - name: ms01.contoso.com
    address: 10.0.1.11
    roles: [management-server]
  - name: ms01.fabrikam.com
    address: 10.9.1.11
    roles: [management-server]
  - name: sql01.contoso.com
    addresses: [10.0.2.10, "fd00:2::10"]
    roles: [operational-database, data-warehouse]
  - name: corp-servers
    addresses: [10.0.0.0/8]
    roles: [agent]
`,
  'loc.yaml',
);
const plan = derivePlan(deployment, catalogRevision(deployment.catalog));

describe('finding this machine in the deployment', () => {
  it('a local address inside a single host beats the group whose range also covers it', () => {
    const found = locateSelf(plan, { addresses: ['192.168.1.5', '10.0.1.11'], hostname: 'whatever' });
    expect(found.endpoint.name).toBe('ms01.contoso.com');
    expect(found.how).toBe('address 10.0.1.11');
  });

  it('an address only the group covers finds the group', () => {
    expect(locateSelf(plan, { addresses: ['10.77.3.4'], hostname: 'x' }).endpoint.name).toBe('corp-servers');
  });

  it('IPv6 addresses count too', () => {
    expect(locateSelf(plan, { addresses: ['fd00:2::10'], hostname: 'x' }).endpoint.name).toBe('sql01.contoso.com');
  });

  it('by hostname, FQDN or short, case-insensitive, when no address matches', () => {
    expect(locateSelf(plan, { addresses: ['192.168.1.5'], hostname: 'SQL01.contoso.com' }).endpoint.name).toBe('sql01.contoso.com');
    expect(locateSelf(plan, { addresses: [], hostname: 'Sql01' }).endpoint.name).toBe('sql01.contoso.com');
  });

  it('an ambiguous short name is no match (ms01 is in two domains)', () => {
    expect(() => locateSelf(plan, { addresses: [], hostname: 'ms01' })).toThrow(UserError);
    expect(locateSelf(plan, { addresses: [], hostname: 'ms01.fabrikam.com' }).endpoint.name).toBe('ms01.fabrikam.com');
  });

  it('--from wins over everything, case-insensitive', () => {
    const found = locateSelf(plan, { addresses: ['10.0.1.11'], hostname: 'ms01.contoso.com' }, 'CORP-SERVERS');
    expect([found.endpoint.name, found.how]).toEqual(['corp-servers', '--from']);
  });

  it('not found: a user error that names --from and the hosts', () => {
    try {
      locateSelf(plan, { addresses: ['192.168.1.5'], hostname: 'laptop' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      const text = (e as UserError).format();
      expect(text).toContain('laptop');
      expect(text).toContain('192.168.1.5');
      expect(text).toContain('--from NAME');
      expect(text).toContain('sql01.contoso.com');
    }
  });

  it('an unknown --from is a user error', () => {
    expect(() => locateSelf(plan, { addresses: [], hostname: 'x' }, 'nope')).toThrow(/--from nope names no host/);
  });
});

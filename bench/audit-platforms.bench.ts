import { performance } from 'node:perf_hooks';
import { audit } from '../src/audit/engine.js';
import { netshImporter } from '../src/audit/importers/netsh.js';
import { windowsJsonImporter } from '../src/audit/importers/windows-json.js';
import type { FirewallModel } from '../src/audit/model.js';
import { catalogRevision } from '../src/catalog/index.js';
import { derivePlan } from '../src/plan/derive.js';
import { loadDeployment } from '../src/topology/index.js';
import { generateDeployment, toJson } from './generate.js';
import type { BenchSection } from './harness.js';

const ruleCount = 5_000;
const host = 'ms01.corp.example';

/** A host's inbound rules as a mature Windows server has them: many narrow allows, some blocks, other ports. */
function rules(n: number): { name: string; action: 'Allow' | 'Block'; enabled: boolean; profile: string; port: string; remote: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const a = 0x0a400000 + i * 3;
    const address = `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
    const kind = i % 10;
    return {
      name: `rule ${i}`,
      action: kind === 0 ? 'Block' : 'Allow',
      enabled: kind !== 9,
      profile: kind === 8 ? 'Private' : 'Any',
      port: kind === 7 ? String(1024 + (i % 4000)) : '5723',
      remote: kind === 6 ? `${address}-${address.replace(/\d+$/, (x) => String(Math.min(255, Number(x) + 2)))}` : kind === 5 ? `${address.replace(/\d+$/, '0')}/255.255.255.0` : address,
    };
  });
}

function exporterJson(n: number): string {
  const list = rules(n).map((r, i) => ({
    Name: `R${i}`, DisplayName: r.name, Group: '', Enabled: r.enabled ? 'True' : 'False', Direction: 'Inbound', Action: r.action, Profile: r.profile,
    EdgeTraversalPolicy: 'Block', PrimaryStatus: 'OK', PolicyStoreSource: 'PersistentStore', Protocol: 'TCP', LocalPort: [r.port], RemotePort: ['Any'],
    IcmpType: ['Any'], LocalAddress: ['Any'], RemoteAddress: [r.remote], Program: 'Any', Package: '', Service: 'Any', InterfaceAlias: ['Any'],
    InterfaceType: 'Any', Authentication: 'NotRequired', Encryption: 'NotRequired', OverrideBlockRules: 'False',
  }));
  const profiles = ['Domain', 'Private', 'Public'].map((Name) => ({ Name, Enabled: 'True', DefaultInboundAction: 'Block' }));
  return JSON.stringify({ format: 'scomfw-windows-firewall', version: 1, computerName: 'MS01', exportedAt: '2026-12-01T00:00:00Z', profiles, connections: [{ InterfaceAlias: 'Ethernet', NetworkCategory: 'DomainAuthenticated' }], rules: list }, null, 2);
}

function netshText(n: number): string {
  const blocks = rules(n).map((r) =>
    [
      `Rule Name:                            ${r.name}`,
      '----------------------------------------------------------------------',
      `Enabled:                              ${r.enabled ? 'Yes' : 'No'}`,
      'Direction:                            In',
      `Profiles:                             ${r.profile === 'Any' ? 'Domain,Private,Public' : r.profile}`,
      'LocalIP:                              Any',
      `RemoteIP:                             ${r.remote}`,
      'Protocol:                             TCP',
      `LocalPort:                            ${r.port}`,
      'RemotePort:                           Any',
      'Edge traversal:                       No',
      `Action:                               ${r.action}`,
      '',
    ].join('\r\n'),
  );
  return `\r\n${blocks.join('\r\n')}Ok.\r\n`;
}

/** Import and audit of 5,000 Windows rules (exporter JSON and netsh text) against the 15,000-agent deployment. */
export function bench(): Promise<BenchSection[]> {
  const deployment = loadDeployment(toJson(generateDeployment({ agents: 15_000 })), 'bench.json');
  const plan = derivePlan(deployment, catalogRevision(deployment.catalog));
  const rows: (string | number)[][] = [];
  for (const [format, text, importer] of [
    ['windows-json', exporterJson(ruleCount), windowsJsonImporter],
    ['netsh', netshText(ruleCount), netshImporter],
  ] as const) {
    const t0 = performance.now();
    const models: FirewallModel[] = importer.parse(text, `${host}.${format === 'netsh' ? 'txt' : 'json'}`, {});
    const t1 = performance.now();
    const result = audit(plan, models.map((model) => ({ model, scope: { kind: 'host', host } })), { phase: 'operate' });
    const t2 = performance.now();
    rows.push([format, ruleCount, (text.length / 1048576).toFixed(1), Math.round(t1 - t0), Math.round(t2 - t1), result.summary.flowsChecked, result.findings.length]);
  }
  return Promise.resolve([
    {
      title: `audit of ${ruleCount.toLocaleString('en')} Windows rules, 15,000-agent deployment (${plan.flows.length.toLocaleString('en')} flows)`,
      columns: ['format', 'rules', 'MiB', 'import ms', 'audit ms', 'flows checked', 'findings'],
      rows,
      notes: [
        `host ${host}; rules: 10 % block, 10 % disabled, 10 % Private-only, the rest allow TCP 5723 or another port from single addresses, ranges and a/mask subnets`,
        'one process, after the deployment is loaded and planned; figures vary with the machine and its load',
      ],
    },
  ]);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult, Finding } from '../../src/audit/findings.js';
import type { Plan } from '../../src/plan/types.js';
import { listeningHosts } from '../../src/targets/rules.js';
import { auditExports, exportRules, flushAll, lineOf, loadRendered, type LinuxTool } from '../support/audit-lab.js';
import { Lab, labUnavailableReason } from '../support/netns.js';
import { loadScenario, planOf, remapForLab } from '../support/scenarios.js';

/**
 * The audit against the real tools: each host's rendered nftables and iptables rulesets are loaded into a network
 * namespace this test makes, exported with `nft -j list ruleset` / `iptables-save` / `ip6tables-save`, and audited
 * against the plan they came from: no error finding. Then each defect class is planted with the real tools and
 * the audit must name it with the right kind, witness and line. No traffic is sent; addresses are the lab's
 * 198.18.0.0/15 remapping all the same.
 */

const skip = labUnavailableReason(['ip', 'nft', 'iptables-restore']);
const titled = (title: string) => (skip ? `${title} (skipped: ${skip})` : title);
const tools: readonly LinuxTool[] = ['nftables', 'iptables'];

function installPlan(name: 'minimal' | 'contoso'): { plan: Plan; addresses: Map<string, { v4: string; v6?: string }> } {
  const { deployment, addresses } = remapForLab(loadScenario(name));
  return { plan: planOf({ ...deployment, phase: 'install' }), addresses };
}

const errors = (r: AuditResult): Finding[] => r.findings.filter((f) => f.severity === 'error');
const describeFindings = (r: AuditResult) => errors(r).map((f) => f.message);

describe.skipIf(skip !== undefined)(titled('audit round trip through nft and iptables'), () => {
  let lab: Lab;
  beforeAll(() => {
    lab = new Lab(`sfwar${process.pid % 10000}`);
    lab.addHost('fw', '198.18.200.1');
  });
  afterAll(() => { lab?.destroy(); });

  for (const scenario of ['minimal', 'contoso'] as const) {
    for (const tool of tools) {
      it(`${scenario}, ${tool}: every host's rendered ruleset, exported by the real tool, audits clean (install and operate)`, { timeout: 120_000 }, () => {
        const { plan } = installPlan(scenario);
        const hosts = listeningHosts(plan);
        expect(hosts.length).toBeGreaterThan(1);
        let flows = 0;
        let closed = 0;
        for (const host of hosts) {
          flushAll(lab, 'fw');
          loadRendered(lab, 'fw', plan, tool, host.name);
          const exports = exportRules(lab, 'fw', tool, host.name);
          const result = auditExports(plan, host.name, exports, 'install');
          flows += result.summary.flowsChecked;
          expect(describeFindings(result), `${host.name} (${tool})`).toEqual([]);
          // In operation the install-only openings are closed with the close-install file: clean again.
          flushAll(lab, 'fw');
          if (loadRendered(lab, 'fw', plan, tool, host.name, true)) closed++;
          const operate = auditExports(plan, host.name, exportRules(lab, 'fw', tool, host.name), 'operate');
          expect(describeFindings(operate), `${host.name} (${tool}, operate)`).toEqual([]);
        }
        expect(flows).toBeGreaterThan(0);
        expect(closed).toBeGreaterThan(0);
      });
    }
  }

  describe('planted defects (minimal: sql01 serves scom01 on TCP 1433 and install-only TCP 135, 445, 49152-65535, UDP 137)', () => {
    const { plan, addresses } = installPlan('minimal');
    const scom01 = addresses.get('scom01')!.v4;
    const servers = addresses.get('servers')!.v4;
    const sql01 = addresses.get('sql01')!.v4;

    function planted(tool: LinuxTool, plant: () => void, phase: 'install' | 'operate' = 'install'): { result: AuditResult; exports: Map<string, string> } {
      flushAll(lab, 'fw');
      loadRendered(lab, 'fw', plan, tool, 'sql01');
      plant();
      const exports = exportRules(lab, 'fw', tool, 'sql01');
      return { result: auditExports(plan, 'sql01', exports, phase), exports };
    }

    const only = (r: AuditResult): Finding => {
      expect(describeFindings(r)).toHaveLength(1);
      return errors(r)[0]!;
    };

    /** The nft -j export is one line: the rule's column points at the object of the rule with this handle text. */
    const nftRuleAt = (exports: Map<string, string>, f: Finding): string => {
      const text = exports.get('sql01.json')!;
      expect(f.rule!.line).toBe(1);
      return text.slice(f.rule!.column! - 1, f.rule!.column! + 400);
    };
    const nft = (...args: string[]) => lab.exec('fw', 'nft', args);
    const ipt = (...args: string[]) => lab.exec('fw', 'iptables', args);
    const handleOf = (fragment: string): string => {
      const line = nft('-a', 'list', 'chain', 'inet', 'scomfw_LAB', 'input').split('\n').find((l) => l.includes(fragment));
      const m = /# handle (\d+)/.exec(line ?? '');
      if (!m) throw new Error(`no rule with ${fragment}`);
      return m[1]!;
    };

    it('nftables, rule deleted: missing, witness scom01 → TCP 1433, decided by the input chain policy', () => {
      const { result, exports } = planted('nftables', () => nft('delete', 'rule', 'inet', 'scomfw_LAB', 'input', 'handle', handleOf('dport 1433')));
      const f = only(result);
      expect(f).toMatchObject({ kind: 'missing', host: 'sql01', witness: { source: scom01, destination: sql01, protocol: 'tcp', port: 1433 } });
      expect(f.flow?.id).toBe('scom01>sql01:tcp/1433');
      expect(nftRuleAt(exports, f)).toMatch(/^\{"chain": \{"family": "inet", "table": "scomfw_LAB", "name": "input"/);
      expect(f.message).toContain('policy drop');
    });

    it('nftables, broad accept inserted first: over-permissive, witness a deployment address no flow names, at that rule', () => {
      const { result, exports } = planted('nftables', () => nft('insert', 'rule', 'inet', 'scomfw_LAB', 'input', 'tcp', 'dport', '1433', 'accept'));
      const f = only(result);
      expect(f).toMatchObject({ kind: 'over-permissive', host: 'sql01', witness: { source: servers, destination: sql01, protocol: 'tcp', port: 1433 } });
      expect(nftRuleAt(exports, f)).toMatch(/^\{"rule": \{"family": "inet", "table": "scomfw_LAB", "chain": "input", "handle": \d+, "expr": \[\{"match": \{"op": "==", "left": \{"payload": \{"protocol": "tcp", "field": "dport"\}\}, "right": 1433\}\}, \{"accept": null\}\]/);
    });

    it('nftables, a drop in an earlier base chain of another table: missing, decided by that drop', () => {
      const { result, exports } = planted('nftables', () =>
        lab.exec('fw', 'nft', ['-f', '-'], `table ip early {\n chain c {\n  type filter hook input priority -50; policy accept;\n  ip saddr ${scom01} tcp dport 1433 drop\n }\n}\n`),
      );
      const f = only(result);
      expect(f).toMatchObject({ kind: 'missing', witness: { source: scom01, port: 1433 } });
      expect(nftRuleAt(exports, f)).toMatch(/^\{"rule": \{"family": "ip", "table": "early", "chain": "c"/);
      expect(f.rule!.text).toBe(`ip saddr ${scom01} tcp dport 1433 drop`);
    });

    it('nftables, install-only left open in phase operate: stale-install for each install flow, at the install chain\'s rules', () => {
      const { result, exports } = planted('nftables', () => undefined, 'operate');
      const stale = errors(result);
      expect(stale.map((f) => f.kind)).toEqual(['stale-install', 'stale-install', 'stale-install', 'stale-install']);
      expect(stale.map((f) => `${f.witness!.protocol}/${f.witness!.port}`).sort()).toEqual(['tcp/135', 'tcp/445', 'tcp/49152', 'udp/137']);
      for (const f of stale) {
        expect(f.witness!.source).toBe(scom01);
        expect(nftRuleAt(exports, f)).toMatch(/^\{"rule": \{"family": "inet", "table": "scomfw_LAB", "chain": "install"/);
      }
    });

    it('nftables, a user chain that returns early: the install flows are missing, decided by the input policy', () => {
      const { result, exports } = planted('nftables', () => nft('insert', 'rule', 'inet', 'scomfw_LAB', 'install', 'return'));
      const missing = errors(result);
      expect(missing.map((f) => f.flow!.id).sort()).toEqual(['scom01>sql01:tcp/135', 'scom01>sql01:tcp/445', 'scom01>sql01:tcp/49152-65535', 'scom01>sql01:udp/137']);
      for (const f of missing) {
        expect(f.kind).toBe('missing');
        expect(nftRuleAt(exports, f)).toMatch(/^\{"chain": \{"family": "inet", "table": "scomfw_LAB", "name": "input"/);
      }
    });

    const iptLine = (exports: Map<string, string>, f: Finding, ...fragments: string[]) => {
      expect(f.rule!.export).toBe('sql01.rules');
      expect(f.rule!.line).toBe(lineOf(exports.get('sql01.rules')!, ...fragments));
    };

    it('iptables, rule deleted: missing, decided by the final DROP of SCOMFW-IN-LAB', () => {
      const { result, exports } = planted('iptables', () => {
        const rules = lab.exec('fw', 'iptables-save', []).split('\n').filter((l) => l.startsWith('-A SCOMFW-IN-LAB '));
        ipt('-D', 'SCOMFW-IN-LAB', String(rules.findIndex((l) => l.includes('--dport 1433')) + 1));
      });
      const f = only(result);
      expect(f).toMatchObject({ kind: 'missing', witness: { source: scom01, destination: sql01, protocol: 'tcp', port: 1433 } });
      iptLine(exports, f, '-A SCOMFW-IN-LAB', 'drop everything not planned');
    });

    it('iptables, broad accept inserted first: over-permissive at that line', () => {
      const { result, exports } = planted('iptables', () => ipt('-I', 'SCOMFW-IN-LAB', '1', '-p', 'tcp', '--dport', '1433', '-j', 'ACCEPT'));
      const f = only(result);
      expect(f).toMatchObject({ kind: 'over-permissive', witness: { source: servers, port: 1433 } });
      iptLine(exports, f, '-A SCOMFW-IN-LAB -p tcp -m tcp --dport 1433 -j ACCEPT');
    });

    it('iptables, a drop in an earlier table (raw PREROUTING): missing, decided by that drop', () => {
      const { result, exports } = planted('iptables', () => ipt('-t', 'raw', '-A', 'PREROUTING', '-s', scom01, '-p', 'tcp', '--dport', '1433', '-j', 'DROP'));
      const f = only(result);
      expect(f).toMatchObject({ kind: 'missing', witness: { source: scom01, port: 1433 } });
      iptLine(exports, f, '-A PREROUTING', '--dport 1433 -j DROP');
    });

    it('iptables, install-only left open in phase operate: stale-install at the install chain\'s lines', () => {
      const { result, exports } = planted('iptables', () => undefined, 'operate');
      const stale = errors(result);
      expect(stale).toHaveLength(4);
      for (const f of stale) {
        expect(f.kind).toBe('stale-install');
        const port = f.witness!.port === 49152 ? '49152:65535' : String(f.witness!.port);
        iptLine(exports, f, '-A SCOMFW-INST-LAB', `--dport ${port} `);
      }
    });

    it('iptables, a user chain that RETURNs early: the install flows are missing, decided by the final DROP', () => {
      const { result, exports } = planted('iptables', () => ipt('-I', 'SCOMFW-INST-LAB', '1', '-j', 'RETURN'));
      const missing = errors(result);
      expect(missing).toHaveLength(4);
      for (const f of missing) {
        expect(f.kind).toBe('missing');
        expect(f.witness!.source).toBe(scom01);
        iptLine(exports, f, '-A SCOMFW-IN-LAB', 'drop everything not planned');
      }
    });
  });
});

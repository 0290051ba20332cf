import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firewalld } from '../../src/targets/linux/firewalld.js';
import { addressListLimit, iptables } from '../../src/targets/linux/iptables.js';
import { nftables } from '../../src/targets/linux/nftables.js';
import type { RenderedFile } from '../../src/targets/types.js';
import { labUnavailableReason } from '../support/netns.js';
import { loadDeployment } from '../../src/topology/index.js';
import { planOf, scenarioNames, scenarioPlan } from '../support/scenarios.js';

/**
 * Every rendered ruleset read back by the tool that will load it: nft and iptables-restore inside a throwaway
 * network namespace (`unshare -n`, gone when the shell exits, so the host's own rules are never touched), and
 * firewalld zone files by firewall-offline-cmd against a temporary configuration directory.
 */

const netfilterSkip = labUnavailableReason(['nft', 'iptables-restore', 'ip6tables-restore', 'unshare']);
const firewalldSkip = labUnavailableReason(['firewall-offline-cmd']);
/** The describe title, with the reason when the block is skipped, so that a skip never goes unexplained. */
const titled = (title: string, skip: string | undefined) => (skip ? `${title} (skipped: ${skip})` : title);

/** nft and iptables calls take tens of milliseconds each on a busy machine, and a scenario makes hundreds. */
const slow = { timeout: 180_000 };

const work = mkdtempSync(join(tmpdir(), 'sfw-linux-parse-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/**
 * How many rules iptables-restore makes of a file: one per `-A` line, times the CIDRs of its `-s` list, times those of
 * its `-d` list (iptables makes a rule per pair).
 */
function kernelRulesOf(text: string): number {
  const listed = (line: string, option: string) => (new RegExp(` ${option} (\\S+)`).exec(line)?.[1] ?? '').split(',').length;
  return text
    .split('\n')
    .filter((l) => l.startsWith('-A '))
    .reduce((n, l) => n + listed(l, '-s') * listed(l, '-d'), 0);
}

/** Writes files into a fresh directory and returns it. */
function written(name: string, files: readonly RenderedFile[]): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.path), f.content);
  return dir;
}

/** Runs `sh -e -c script` with `args` as $1… in a new, empty network namespace; resolves to stdout. */
function inThrowawayNetns(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('unshare', ['-n', 'sh', '-e', '-c', script, 'sh', ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`namespace script failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Runs the script over `items` in two namespaces at once (namespaces and nft calls are slow, cores are two). */
async function inTwoNetns<T>(script: string, lead: readonly string[], items: readonly T[], argsOf: (item: T) => string[]): Promise<string[][]> {
  const half = Math.ceil(items.length / 2);
  const parts = [items.slice(0, half), items.slice(half)].filter((p) => p.length > 0);
  const outs = await Promise.all(parts.map((p) => inThrowawayNetns(script, [...lead, ...p.flatMap(argsOf)])));
  return outs.flatMap(roundTrips);
}

/**
 * For each (main file, close-install file or empty) pair in $@: start from an empty ruleset, check, load, list,
 * load again, list again, then apply the close-install file twice and list. Listings end with `=====`, files
 * with `#####`. One namespace for all files: namespaces are slow to make.
 */
const nftRoundTrips = `
while [ $# -gt 0 ]; do
  nft -c -f "$1"
  printf 'flush ruleset\ninclude "%s"\n' "$1" | nft -f -; nft list ruleset; echo =====
  nft -f "$1"; nft list ruleset; echo =====
  if [ -n "$2" ]; then nft -f "$2"; nft -f "$2"; nft list ruleset; fi
  echo =====
  echo '#####'
  shift 2
done
`;

/**
 * $1 is iptables or ip6tables, then (main, close-install or empty, removal) triples. For each: --test, load with
 * --noflush twice (listing each), load the close-install file without --noflush (it is a whole table, safe
 * either way), then the removal file twice, which must leave no scomfw chain for the next file.
 */
const restoreRoundTrips = `
tool=$1; shift
save() { "$tool-save" | grep -v '^#'; echo =====; }
while [ $# -gt 0 ]; do
  "$tool-restore" --test --noflush < "$1"
  "$tool-restore" --noflush < "$1"; save
  "$tool-restore" --noflush < "$1"; save
  if [ -n "$2" ]; then "$tool-restore" < "$2"; save; else echo =====; fi
  "$tool-restore" --noflush < "$3"
  "$tool-restore" --noflush < "$3"
  save
  echo '#####'
  shift 3
done
`;

/** The listings of each file's round trip, in order. */
const roundTrips = (out: string): string[][] =>
  out
    .split('#####\n')
    .slice(0, -1)
    .map((one) => one.split('=====\n').slice(0, -1));

/** The rule lines of a chain in `nft list ruleset` output. */
function nftChainRules(listing: string, chain: string): string[] {
  const start = listing.indexOf(`chain ${chain} {`);
  if (start < 0) return [];
  const body = listing.slice(start, listing.indexOf('\n\t}', start)).split('\n').slice(1);
  return body.map((l) => l.trim()).filter((l) => l && !l.startsWith('type filter hook'));
}

/** Rule lines of a rendered nft chain: the file's own count, which the kernel must give back unchanged. */
function renderedChainRules(text: string, chain: string): number {
  // An open-only file declares its chains empty first, then fills them: the last block of the chain holds its rules.
  const code = text.replace(/^\s*#.*$/gm, '');
  return nftChainRules(code.slice(Math.max(0, code.lastIndexOf(`chain ${chain} {`))), chain).length;
}

describe.skipIf(netfilterSkip !== undefined)(titled('nftables files load with nft', netfilterSkip), () => {
  for (const scenario of scenarioNames) {
    it(`${scenario}: every .nft passes nft -c, loads, reloads to the same ruleset, and close-install empties only chain install`, slow, async () => {
      const files = nftables.render(scenarioPlan(scenario), {});
      const dir = written(`nft-${scenario}`, files);
      const mains = files.filter((f) => f.path.endsWith('.nft') && !f.path.endsWith('.close-install.nft'));
      expect(mains.length).toBeGreaterThan(0);
      const closeOf = (main: RenderedFile) => {
        const close = main.path.replace(/\.nft$/, '.close-install.nft');
        return files.some((f) => f.path === close) ? close : '';
      };
      const results = await inTwoNetns(nftRoundTrips, [], mains, (m) => [join(dir, m.path), closeOf(m) && join(dir, closeOf(m))]);
      expect(results).toHaveLength(mains.length);
      mains.forEach((main, i) => {
        const [first = '', second = '', closed = ''] = results[i] ?? [];
        expect(second, `${main.path} loaded twice`).toBe(first);
        // open-only files hold two chains in the host's table inet filter: scomfw_<group> and scomfw_<group>_install
        const open = /^table inet filter \{$/m.test(main.content) ? /chain (scomfw_\w+?)_install/.exec(main.content)?.[1] : undefined;
        const chain = open ?? (main.content.includes('hook forward') ? 'forward' : 'input');
        const install = open ? `${open}_install` : 'install';
        expect(nftChainRules(first, chain), main.path).toHaveLength(renderedChainRules(main.content, chain));
        expect(nftChainRules(first, install), main.path).toHaveLength(renderedChainRules(main.content, install));
        if (closeOf(main)) {
          expect(nftChainRules(closed, install), closeOf(main)).toEqual([]);
          expect(nftChainRules(closed, chain), `${closeOf(main)} leaves the main chain`).toEqual(nftChainRules(first, chain));
        }
      });
    });
  }
});

describe.skipIf(netfilterSkip !== undefined)(titled('iptables files load with iptables-restore', netfilterSkip), () => {
  for (const scenario of scenarioNames) {
    it(`${scenario}: every .rules/.rules6 passes --test, loads idempotently, closes install rules, and is removed cleanly`, slow, async () => {
      const files = iptables.render(scenarioPlan(scenario), {});
      const dir = written(`ipt-${scenario}`, files);
      const mains = files.filter((f) => /^(?!scomfw-remove-)(?!.*close-install).*\.rules6?$/.test(f.path));
      expect(mains.length).toBeGreaterThan(0);
      const closeOf = (main: RenderedFile) => {
        const close = main.path.replace(/\.(rules6?)$/, '.close-install.$1');
        return files.some((f) => f.path === close) ? close : '';
      };
      const removalOf = (main: RenderedFile) => `scomfw-remove-${main.content.includes('-F FORWARD') ? 'forward' : 'host'}.${main.path.endsWith('6') ? 'rules6' : 'rules'}`;
      const argsOf = (m: RenderedFile) => [join(dir, m.path), closeOf(m) && join(dir, closeOf(m)), join(dir, removalOf(m))];
      const v4 = mains.filter((f) => f.path.endsWith('.rules'));
      const v6 = mains.filter((f) => f.path.endsWith('.rules6'));
      const [results4, results6] = await Promise.all([
        inThrowawayNetns(restoreRoundTrips, ['iptables', ...v4.flatMap(argsOf)]),
        inThrowawayNetns(restoreRoundTrips, ['ip6tables', ...v6.flatMap(argsOf)]),
      ]);
      const results = [...roundTrips(results4), ...roundTrips(results6)];
      expect(results).toHaveLength(mains.length);
      [...v4, ...v6].forEach((main, i) => {
        const [once = '', twice = '', closed = '', removed = ''] = results[i] ?? [];
        expect(twice, `${main.path} with --noflush twice`).toBe(once);
        const appended = (listing: string) => listing.split('\n').filter((l) => l.startsWith('-A '));
        const outsideInstall = (listing: string) => appended(listing).filter((l) => !/^-A SCOMFW-(INST|FWDI)-\w+ /.test(l));
        expect(appended(once), main.path).toHaveLength(kernelRulesOf(main.content));
        if (closeOf(main)) {
          expect(appended(closed).filter((l) => /^-A SCOMFW-(INST|FWDI)-\w+ /.test(l)), closeOf(main)).toEqual([]);
          expect(outsideInstall(closed), `${closeOf(main)} without --noflush`).toEqual(outsideInstall(once));
        }
        expect(removed, `${removalOf(main)} after ${main.path}`).not.toContain('SCOMFW');
      });
    });
  }
});

describe.skipIf(netfilterSkip !== undefined)(titled('iptables address lists longer than one parameter', netfilterSkip), () => {
  // 400 agents on every other address: 400 single-address CIDRs per family, several lists of up to 1,000 characters.
  const agents = Array.from({ length: 400 }, (_, i) => `      - 10.64.${Math.floor(i / 100)}.${(i % 100) * 2 + 1}\n      - "fd00:64::${(i * 2 + 1).toString(16)}"`).join('\n');
  const deployment = `managementGroup: LISTS
hosts:
  - name: ms01
    addresses: [10.0.1.11, "fd00:1::11"]
    roles: [management-server]
  - name: sql01
    address: 10.0.2.10
    roles: [operational-database, data-warehouse]
  - name: agents
    roles: [agent]
    reportsTo: [ms01]
    addresses:
${agents}
`;

  it('are cut below iptables-restore\'s 1,024-character limit and load as one rule per CIDR, in order', slow, async () => {
    const files = iptables.render(planOf(loadDeployment(deployment, 'lists.yaml')), { host: 'ms01' });
    const dir = written('ipt-lists', files);
    const listsOf = (text: string) => text.split('\n').flatMap((l) => (l.startsWith('-A ') && / --dport 5723 /.test(l) ? [/ -s (\S+)/.exec(l)?.[1] ?? ''] : []));
    for (const [tool, file] of [['iptables', 'ms01.rules'], ['ip6tables', 'ms01.rules6']] as const) {
      const lists = listsOf(files.find((f) => f.path === file)?.content ?? '');
      expect(lists.length, file).toBeGreaterThan(2);
      for (const list of lists) expect(list.length, file).toBeLessThanOrEqual(addressListLimit);
      const saved = await inThrowawayNetns('"$1-restore" --noflush < "$2"; "$1-save"', [tool, join(dir, file)]);
      const rules = saved.split('\n').filter((l) => l.startsWith('-A ') && / --dport 5723 /.test(l));
      // iptables-save writes what the kernel holds: a rule per CIDR, each with the line's match and comment.
      expect(rules.map((l) => / -s (\S+)/.exec(l)?.[1]), file).toEqual(lists.flatMap((l) => l.split(',')));
      expect(rules, file).toHaveLength(400);
    }
  });
});

describe.skipIf(firewalldSkip !== undefined)(titled('firewalld zone files load with firewall-offline-cmd', firewalldSkip), () => {
  /** Imports a zone file into an empty temporary firewalld configuration and lists what firewalld made of it. */
  function importZone(file: string): { rich: string[]; sources: string[]; stderr: string } {
    const config = mkdtempSync(join(work, 'fwconf-'));
    for (const source of ['/etc/firewalld/firewalld.conf', '/usr/lib/firewalld/firewalld.conf']) {
      if (existsSync(source)) {
        copyFileSync(source, join(config, 'firewalld.conf'));
        break;
      }
    }
    const offline = (...args: string[]) => spawnSync('firewall-offline-cmd', ['--system-config', config, '--default-config', '/usr/lib/firewalld', ...args], { encoding: 'utf8' });
    // As the generated script does: firewalld refuses a file whose name (a host name, with dots) is no zone name.
    const named = join(mkdtempSync(join(work, 'zone-')), 'scomfw.xml');
    copyFileSync(file, named);
    const imported = offline('--new-zone-from-file', named, '--name', 'scomfw');
    expect(imported.status, imported.stderr).toBe(0);
    const listed = offline('--zone', 'scomfw', '--list-all');
    const lines = listed.stdout.split('\n');
    const richStart = lines.findIndex((l) => l.trim() === 'rich rules:');
    const sourceLine = lines.find((l) => l.trim().startsWith('sources:')) ?? '';
    return {
      rich: lines.slice(richStart + 1).filter((l) => l.trim()),
      sources: sourceLine.trim().split(/\s+/).slice(1),
      stderr: imported.stderr + listed.stderr,
    };
  }

  for (const scenario of scenarioNames) {
    it(`${scenario}: firewalld reads every zone file with every rich rule and source binding`, slow, () => {
      const files = firewalld.render(scenarioPlan(scenario), {});
      const dir = written(`fwd-${scenario}`, files);
      for (const zone of files.filter((f) => f.path.endsWith('.xml'))) {
        const read = importZone(join(dir, zone.path));
        expect(read.stderr, zone.path).not.toMatch(/WARNING|ERROR/);
        expect(read.rich, zone.path).toHaveLength(zone.content.split('\n').filter((l) => l.trim().startsWith('<rule ')).length);
        expect(read.sources, zone.path).toEqual(
          zone.content
            .split('\n')
            .filter((l) => l.startsWith('  <source address='))
            .map((l) => /"([^"]+)"/.exec(l)?.[1]),
        );
      }
    });
  }
});

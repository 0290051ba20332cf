import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A lab of network namespaces joined by one bridge, for tests that send real traffic. Every address lives in
 * 198.18.0.0/15 (or fd00:5c0f::/64), never routed out. `destroy()` removes every namespace this lab made, and a
 * process exit hook does the same if a test dies first.
 */
export interface LabHost {
  readonly ns: string;
  readonly v4: string;
  readonly v6?: string;
}

const live = new Set<Lab>();
process.once('exit', () => {
  for (const lab of live) lab.destroy();
});

/**
 * Why namespace tests cannot run here, or undefined when they can: Linux, root, the tools, and namespaces that can
 * really be made. Root is not enough (a container without CAP_SYS_ADMIN, a seccomp profile, a read-only
 * /run/netns): with `ip` the probe adds and deletes a namespace of its own, with `unshare` it runs `unshare -n true`.
 */
export function labUnavailableReason(tools: readonly string[] = ['ip', 'nft']): string | undefined {
  if (process.platform !== 'linux') return 'network namespace tests need Linux';
  if (process.getuid?.() !== 0) return 'network namespace tests need root (CI runs them as root)';
  for (const tool of tools) {
    if (!['/usr/sbin', '/sbin', '/usr/bin', '/bin'].some((d) => existsSync(`${d}/${tool}`))) return `network namespace tests need ${tool} (apt-get install ${tool === 'nft' ? 'nftables' : tool === 'iptables-restore' ? 'iptables' : tool})`;
  }
  if (tools.includes('ip')) return (probes.ip ??= [ipNetnsProbe()])[0];
  if (tools.includes('unshare')) return (probes.unshare ??= [unshareProbe()])[0];
  return undefined;
}

/** Each probe runs once per test file (process); its answer is kept, a reason or undefined. */
const probes: { ip?: [string | undefined]; unshare?: [string | undefined] } = {};

function ipNetnsProbe(): string | undefined {
  const name = `sfw-probe-${process.pid.toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    return `network namespaces cannot be created here (ip netns add: ${firstLine(e)})`;
  }
  try {
    execFileSync('ip', ['netns', 'delete', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    return `network namespaces cannot be removed here (ip netns delete ${name}: ${firstLine(e)})`;
  }
  return undefined;
}

function unshareProbe(): string | undefined {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return undefined;
  } catch (e) {
    return `network namespaces cannot be created here (unshare -n: ${firstLine(e)})`;
  }
}

function firstLine(e: unknown): string {
  const stderr = (e as { stderr?: Buffer | string }).stderr?.toString().trim();
  return (stderr || (e as Error).message).split('\n')[0] ?? 'failed';
}

export class Lab {
  readonly hosts = new Map<string, LabHost>();
  private readonly hub: string;
  private readonly namespaces: string[] = [];
  private readonly children = new Set<ChildProcess>();

  /** This lab's own part of every name: unique per run, so parallel test files and other runs never collide. */
  readonly runId: string;
  private readonly prefix: string;

  /**
   * `prefix` says which test file made the namespaces (`<prefix>-<run>-hub`, `<prefix>-<run>-1`, …); the run id
   * (process id and a random part) makes them unique, so two runs of one file on one machine never meet.
   */
  constructor(prefix: string) {
    this.runId = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0')}`.slice(-7);
    this.prefix = `${prefix}-${this.runId}`;
    this.hub = `${this.prefix}-hub`;
    live.add(this);
    this.addNamespace(this.hub);
    sh('ip', 'netns', 'exec', this.hub, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
    sh('ip', 'netns', 'exec', this.hub, 'ip', 'link', 'set', 'br0', 'up');
    sh('ip', 'netns', 'exec', this.hub, 'ip', 'link', 'set', 'lo', 'up');
  }

  /** Adds a host with one IPv4 address in 198.18.0.0/15 and, optionally, an IPv6 address in fd00:5c0f::/64. */
  addHost(name: string, v4: string, v6?: string): LabHost {
    const index = this.namespaces.length;
    const ns = `${this.prefix}-${index}`;
    this.addNamespace(ns);
    // Interface names have at most 15 characters: the run id and the index keep them unique.
    const outer = `v${this.runId}h${index}`;
    sh('ip', 'link', 'add', outer, 'netns', this.hub, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    sh('ip', 'netns', 'exec', this.hub, 'ip', 'link', 'set', outer, 'master', 'br0', 'up');
    sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${v4}/15`, 'dev', 'eth0');
    if (v6) sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${v6}/64`, 'dev', 'eth0', 'nodad');
    sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'eth0', 'up');
    sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    const host = { ns, v4, ...(v6 ? { v6 } : {}) };
    this.hosts.set(name, host);
    return host;
  }

  host(name: string): LabHost {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no lab host ${name}`);
    return h;
  }

  /** Runs a command in a host's namespace and returns its stdout; throws with stderr on failure. */
  exec(name: string, cmd: string, args: readonly string[], input?: string): string {
    return sh('ip', 'netns', 'exec', this.host(name).ns, cmd, ...args, ...(input !== undefined ? [{ input }] : []));
  }

  /** Starts a long-running command in a host's namespace; it is killed by destroy(). */
  start(name: string, cmd: string, args: readonly string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.host(name).ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  destroy(): void {
    for (const child of this.children) child.kill('SIGKILL');
    this.children.clear();
    for (const ns of this.namespaces.splice(0).reverse()) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    live.delete(this);
  }

  /** Never deletes a namespace of the same name first: with unique names, one that exists belongs to someone else. */
  private addNamespace(ns: string): void {
    sh('ip', 'netns', 'add', ns);
    this.namespaces.push(ns);
  }
}

type ShArg = string | { input: string };

export function sh(cmd: string, ...args: ShArg[]): string {
  const input = args.find((a): a is { input: string } => typeof a !== 'string');
  const argv = args.filter((a): a is string => typeof a === 'string');
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input ? { input: input.input } : {}) });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${argv.join(' ')} failed: ${err.stderr ?? err.message}`, { cause: e });
  }
}

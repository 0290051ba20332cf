import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortRange } from '../../src/net/port.js';
import { resultsFileSchema } from '../../src/probe/results.js';
import { alikeThreshold } from '../../src/targets/alike.js';
import { verifyPowerShell } from '../../src/targets/windows/verify.js';
import { pwshEnv, pwshPath, pwshUnavailableReason, run } from '../support/pwsh.js';
import { endpoint, flow, handPlan, roles } from '../unit/targets-cloud-fixtures.js';

/**
 * One verify script for hosts alike, run under real PowerShell 7: it runs as the member -Source names, else as the
 * member with an address of this machine, and refuses (exit 3, nothing probed) when it is none of them. Every probe
 * goes to a listener of this test on 127.0.0.1; the members' own addresses are sources and are never sent to.
 */
const unavailable = pwshUnavailableReason();
if (unavailable !== undefined) console.warn(`verify-powershell hosts-alike run tests skipped: ${unavailable}`);

/** A non-loopback IPv4 address of this machine (a member gets it, so the script finds itself), if there is one. */
const ownAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(unavailable !== undefined)('verify-powershell: one script for hosts alike, under pwsh', () => {
  let dir = '';
  let server: Server;
  let script = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scomfw-verify-alike-'));
    server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const ms = endpoint('ms1', ['127.0.0.1'], { roles: roles('management-server') });
    const members = Array.from({ length: alikeThreshold }, (_, i) => endpoint(`a${String(i).padStart(2, '0')}`, [`198.18.7.${i + 1}`]));
    if (ownAddress) members.push(endpoint('self01', [ownAddress]));
    const plan = handPlan(members.map((m) => flow(m, ms, { ports: PortRange.of(port) })));
    const files = verifyPowerShell.render(plan, {});
    const alike = files.find((f) => f.path.endsWith('-alike.verify.ps1'));
    expect(files.map((f) => f.path)).toEqual([`a00.and-${members.length - 1}-alike.verify.ps1`, `a00.and-${members.length - 1}-alike.hosts.txt`]);
    script = join(dir, alike?.path ?? 'missing.ps1');
    writeFileSync(script, alike?.content ?? '');
  });

  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runScript = (...args: string[]) => {
    const pwsh = pwshPath();
    if (!pwsh) throw new Error('pwsh is not installed');
    return run(pwsh, ['-NoProfile', '-NonInteractive', '-Command', `Set-Location '${dir}'; & '${script}' -TimeoutMs 2000 ${args.join(' ')}; exit $LASTEXITCODE`], pwshEnv());
  };

  it('runs as the member -Source names: its result file, its name, flow ids completed with it', async () => {
    const r = await runScript('-Source', 'a03');
    expect(r.code, r.stderr).toBe(0);
    const results = resultsFileSchema.parse(JSON.parse(readFileSync(join(dir, 'a03.results.json'), 'utf8')));
    expect(results.source.name).toBe('a03');
    expect(results.results.map((x) => [x.flow, x.state])).toEqual([[expect.stringMatching(/^a03>ms1:tcp\/\d+$/), 'open']]);
  });

  it.skipIf(ownAddress === undefined)('finds itself by this machine\'s address when -Source is not given', async () => {
    const r = await runScript();
    expect(r.code, r.stderr).toBe(0);
    const results = resultsFileSchema.parse(JSON.parse(readFileSync(join(dir, 'self01.results.json'), 'utf8')));
    expect(results.source.name).toBe('self01');
  });

  it('refuses with exit 3 and probes nothing when this machine is none of the hosts', async () => {
    const r = await runScript('-Source', 'nosuch');
    expect(r.code).toBe(3);
    expect(r.stderr + r.stdout).toMatch(/none of the \d+ hosts this script is for.*-Source/s);
    expect(existsSync(join(dir, 'nosuch.results.json'))).toBe(false);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFor } from '../../src/cli/context.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { verifyPowerShell } from '../../src/targets/windows/verify.js';
import { loadDeployment } from '../../src/topology/index.js';

/**
 * verify.ps1 -ReportTo/-Token under real PowerShell, posting to a real `serve` on loopback. Every address of the
 * deployment is a loopback address, so the script's probes stay on this machine.
 */
const pwsh = ['/usr/bin/pwsh', '/usr/local/bin/pwsh', join(homedir(), '.dotnet', 'tools', 'pwsh')].find((p) => existsSync(p));

const deployment = `managementGroup: LOOP
hosts:
  - name: scom01
    address: 127.0.0.1
    roles: [management-server]
  - name: sql01
    address: 127.0.0.2
    roles: [operational-database, data-warehouse]
  - name: agent01
    address: 127.0.0.3
    roles: [agent]
`;

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(pwsh!, ['-NoProfile', '-NonInteractive', '-File', ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(pwsh === undefined)('verify.ps1 -ReportTo posts to serve (PowerShell)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sfwvps-'));
  const plan = planFor(loadDeployment(deployment, 'loop.yaml'));
  let server: RunningServer;
  let script = '';

  beforeAll(async () => {
    server = await startServer({ plan, dbPath: join(dir, 'store.db'), listen: { host: '127.0.0.1', port: 0 }, tokenFile: join(dir, 'token'), maxBodyBytes: 1 << 20, say: () => undefined, logRequests: false });
    const file = verifyPowerShell.render(plan, { host: 'agent01' })[0]!;
    script = join(dir, file.path);
    writeFileSync(script, file.content);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts its result file, which the store then holds as from the PowerShell prober', async () => {
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    const r = await run([script, '-TimeoutMs', '500', '-OutFile', join(dir, 'agent01.json'), '-ReportTo', server.url, '-Token', token]);
    expect(r.stdout).toMatch(/Reported to http:\/\/127\.0\.0\.1:\d+\/api\/results: result [0-9a-f]{32}/);
    expect([0, 1]).toContain(r.code); // 1 when nothing listens on 127.0.0.1:5723 here, as is usual
    const overview = (await (await fetch(`${server.url}/api/overview`)).json()) as { reporters: { source: string; prober: string }[] };
    expect(overview.reporters).toEqual([expect.objectContaining({ source: 'agent01', prober: 'powershell' })]);
    const written = JSON.parse(readFileSync(join(dir, 'agent01.json'), 'utf8')) as { results: unknown[] };
    const flow = (await (await fetch(`${server.url}/api/flows/${encodeURIComponent('agent01>scom01:tcp/5723')}`)).json()) as { history: unknown[] };
    expect(flow.history.length).toBe(written.results.filter((x) => (x as { flow: string }).flow === 'agent01>scom01:tcp/5723').length);
  }, 150_000);

  it('exits 2 with the reason when the token is wrong, and still writes the result file', async () => {
    const r = await run([script, '-TimeoutMs', '500', '-OutFile', join(dir, 'again.json'), '-ReportTo', server.url, '-Token', 'sfw_wrong-wrong-wrong-wrong']);
    expect(r.code).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toMatch(/Could not report to http:\/\/127\.0\.0\.1:\d+\/api\/results: .*401/);
    expect(existsSync(join(dir, 'again.json'))).toBe(true);
  }, 150_000);
});

if (pwsh === undefined) {
  describe('verify.ps1 -ReportTo', () => {
    it.skip('skipped: needs pwsh (PowerShell 7) on PATH, in /usr/bin or ~/.dotnet/tools', () => undefined);
  });
}

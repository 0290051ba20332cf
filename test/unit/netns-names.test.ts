import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Lab, labUnavailableReason } from '../support/netns.js';

const unavailable = labUnavailableReason(['ip']);

/** Issue 8 item 13: two labs of one prefix (two runs of one test file) live side by side and clean up after themselves. */
describe.skipIf(unavailable !== undefined)(`network namespaces are unique per run${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

  it('gives two labs with the same prefix different namespace and interface names, and removes only their own', () => {
    const a = new Lab('sfwuniq');
    let b: Lab | undefined;
    try {
      b = new Lab('sfwuniq');
      const ha = a.addHost('x', '198.18.0.1');
      const hb = b.addHost('x', '198.18.0.1');
      expect(ha.ns).not.toBe(hb.ns);
      expect(a.runId).not.toBe(b.runId);
      b.destroy();
      expect(namespaces()).toContain(ha.ns);
      expect(namespaces()).not.toContain(hb.ns);
    } finally {
      b?.destroy();
      a.destroy();
    }
    expect(namespaces()).not.toContain(`sfwuniq-${a.runId}`);
  });
});

/** Root is not enough: where `ip netns add` fails (no CAP_SYS_ADMIN, seccomp), the lab tests skip and say why. */
describe.skipIf(process.platform !== 'linux' || process.getuid?.() !== 0)('the namespace probe', () => {
  it('gives the reason when namespaces cannot be created, from one real attempt', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfw-noip-'));
    try {
      // An `ip` that refuses as a container without CAP_SYS_ADMIN does, found first on PATH.
      writeFileSync(join(dir, 'ip'), '#!/bin/sh\necho "mount --make-shared /run/netns failed: Operation not permitted" >&2\nexit 1\n', { mode: 0o755 });
      const helper = pathToFileURL(join(import.meta.dirname, '..', 'support', 'netns.ts')).href;
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const m = await import(${JSON.stringify(helper)}); process.stdout.write(String(m.labUnavailableReason(['ip'])));`], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` },
      });
      expect(out).toBe('network namespaces cannot be created here (ip netns add: mount --make-shared /run/netns failed: Operation not permitted)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes where namespaces can be made, and leaves none behind', () => {
    const before = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    expect(labUnavailableReason(['ip'])).toBeUndefined();
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).includes('sfw-probe-')).toBe(before.includes('sfw-probe-'));
  });
});

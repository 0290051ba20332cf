import { execFileSync } from 'node:child_process';
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

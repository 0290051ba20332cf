import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/context.js';
import { errorExitCode } from '../../src/cli/main.js';
import type { Plan } from '../../src/plan/types.js';
import { UnsafeValueError } from '../../src/targets/escape.js';
// Through the library's entry, as a library user renders a plan of their own: it loads the plan schema's check.
import { renderTarget, targets } from '../../src/index.js';
import { UserError } from '../../src/topology/errors.js';
import { scenarioPlan } from '../support/scenarios.js';

/**
 * One error rule for every target: a value that passed the loader (or the plan's schema) yet cannot be written
 * safely is a bug, exit 3; a user's own choice that cannot be honoured is a UserError, exit 2.
 */

const silent: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: '/' };

/** The minimal scenario's plan with the management server renamed as no loaded deployment could name it. */
function planWithHostName(name: string, os: 'windows' | 'linux'): Plan {
  const plan = scenarioPlan('minimal');
  const old = plan.hosts.find((h) => h.roles.includes('management-server'))!.name;
  const rename = <T extends { name: string }>(e: T): T => (e.name === old ? { ...e, name, os } : e);
  return { ...plan, hosts: plan.hosts.map(rename), flows: plan.flows.map((f) => ({ ...f, source: rename(f.source), destination: rename(f.destination) })) };
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Targets that name files after hosts: each must refuse a name that is no file name, as a bug. */
const fileNaming = { 'windows-powershell': 'windows', netsh: 'windows', nftables: 'linux', iptables: 'linux', firewalld: 'linux' } as const;

describe('a plan value that cannot be written safely is a bug (exit 3) in every target', () => {
  for (const [name, os] of Object.entries(fileNaming)) {
    for (const hostName of ['../../etc/cron.d/x', 'ms01 corp', 'con']) {
      it(`${name}: the host name ${JSON.stringify(hostName)} in a hand-built plan`, () => {
        const target = targets.get(name)!;
        const e = thrownBy(() => renderTarget(target, planWithHostName(hostName, os), {}));
        if (hostName === 'con' && os === 'linux') {
          expect(e, 'a Windows device name is a fine Linux file name').toBeUndefined();
          return;
        }
        expect(e).toBeInstanceOf(UnsafeValueError);
        expect(e).not.toBeInstanceOf(UserError);
        expect(errorExitCode(e, silent, false)).toBe(3);
      });
    }
  }

  it('a user choice that cannot be honoured stays bad input (exit 2)', () => {
    const e = thrownBy(() => renderTarget(targets.get('nftables')!, scenarioPlan('minimal'), { host: 'no-such-host' }));
    expect(e).toBeInstanceOf(UserError);
    expect(errorExitCode(e, silent, false)).toBe(2);
  });
});

import type { Protocol } from '../net/port.js';
import type { Role } from './roles.js';
import type { Condition, Pairing, Phase, PortSetting, PortSpec, Reading } from './types.js';

/** Small constructors that keep the revision tables readable. */
export const port = (from: number, to: number = from): PortSpec => ({ kind: 'fixed', from, to });
export const setting = (name: PortSetting): PortSpec => ({ kind: 'setting', setting: name });
export const noPorts: PortSpec = { kind: 'none' };

export interface ReadingSpec {
  readonly from: Role | readonly Role[];
  readonly to: Role | readonly Role[];
  readonly pairing: Pairing;
  readonly phase?: Phase;
  readonly when?: Condition;
}

/** One reading per (source role, destination role) named; `from`/`to` may list several roles. */
export function readings(spec: ReadingSpec, ...services: readonly (readonly [Protocol, PortSpec])[]): Reading[] {
  const sources = typeof spec.from === 'string' ? [spec.from] : spec.from;
  const destinations = typeof spec.to === 'string' ? [spec.to] : spec.to;
  const out: Reading[] = [];
  for (const source of sources) {
    for (const destination of destinations) {
      for (const [protocol, ports] of services) {
        out.push({
          source,
          destination,
          protocol,
          ports,
          phase: spec.phase ?? 'always',
          pairing: spec.pairing,
          ...(spec.when ? { when: spec.when } : {}),
        });
      }
    }
  }
  return out;
}

export const tcp = (ports: PortSpec) => ['tcp', ports] as const;
export const udp = (ports: PortSpec) => ['udp', ports] as const;
export const icmpEcho = ['icmp', noPorts] as const;

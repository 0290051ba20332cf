import type { Protocol } from '../net/port.js';
import type { Role } from './roles.js';
import type { CatalogRow, Condition, DocCells, Erratum, Feature, Pairing, FlowPhase, PortSetting, PortSpec, Reading, Revision } from './types.js';

/** Small constructors that keep the revision tables readable. */
export const port = (from: number, to: number = from): PortSpec => ({ kind: 'fixed', from, to });
export const setting = (name: PortSetting): PortSpec => ({ kind: 'setting', setting: name });
export const noPorts: PortSpec = { kind: 'none' };

export interface ReadingSpec {
  readonly from: Role | readonly Role[];
  readonly to: Role | readonly Role[];
  readonly pairing: Pairing;
  readonly phase?: FlowPhase;
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

/** The five cells of a doc row, verbatim. */
export const cells = (featureA: string, portAndDirection: string, featureB: string, configurable: string, note = ''): DocCells => ({
  featureA,
  portAndDirection,
  featureB,
  configurable,
  note,
});

export interface RowExtras {
  readonly erratum?: Erratum;
  readonly feature?: Feature;
}

/** A row constructor for one revision: ids are `<revision>#<n>`. */
export function rowsOf(revision: Revision) {
  return (n: number, doc: DocCells, reading: Reading[], configuredBy: string, extras: RowExtras = {}): CatalogRow => ({
    id: `${revision}#${n}`,
    revision,
    number: n,
    doc,
    readings: reading,
    configuredBy,
    ...extras,
  });
}

/** The erratum of the rows whose port has no protocol in any Microsoft text. */
export const tcpAssumed = (port: string): Erratum => ({
  text: `The row gives no protocol for ${port}; it is read as TCP, as every community port script does. No Microsoft page states it.`,
  evidence: 'reference/scom-ports.md §2.1 (protocol map, UNCONFIRMED rows)',
});

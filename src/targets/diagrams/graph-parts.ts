import { roleLabels } from '../../catalog/roles.js';
import { comparePortRanges, describePortList, protocols, type PortRange } from '../../net/port.js';
import type { Endpoint, Flow } from '../../plan/types.js';

/* What both ways of drawing the graph (from flows, diagram.ts; from classes, class-graph.ts) share. */

/** Room for (protocol, ports, phase) ids times two directions in one trait number; peers times this stay below 2^53. */
export const traitSpan = 2 ** 20;

/** A small number for each (protocol, ports, phase) seen; port ranges are interned, so the objects are the keys. */
export class WhatIds {
  private readonly ids = new Map<PortRange | null, Map<string, number>>();
  private next = 0;

  of(f: Pick<Flow, 'ports' | 'protocol' | 'phase'>): number {
    let byKind = this.ids.get(f.ports);
    if (!byKind) this.ids.set(f.ports, (byKind = new Map<string, number>()));
    const kind = f.phase === 'install' ? f.protocol : `${f.protocol}+`;
    let id = byKind.get(kind);
    if (id === undefined) {
      if (this.next * 2 + 1 >= traitSpan) throw new Error('diagram: more kinds of flow than a trait can hold');
      byKind.set(kind, (id = this.next++));
    }
    return id;
  }
}

/** `srv0.corp.example and 199 more alike` for a drawn class of 200. */
export function nodeName(name: string, size: number | undefined): string {
  return size === undefined ? name : `${name} and ${size - 1} more alike`;
}

/** `TCP 135, 445, 49152-65535; ICMP echo`: the ports of parallel flows, per protocol. */
export function portsLabel(flows: readonly Pick<Flow, 'protocol' | 'ports'>[]): string {
  return protocols
    .map((protocol) => {
      const own = flows.filter((f) => f.protocol === protocol);
      if (own.length === 0) return '';
      const ranges = [...new Set(own.flatMap((f) => (f.ports ? [f.ports] : [])))].sort(comparePortRanges);
      return describePortList(protocol, ranges);
    })
    .filter(Boolean)
    .join('; ');
}

/** `management server, ACS collector`: a node's roles. */
export function rolesLabel(roles: Endpoint['roles']): string {
  return roles.map((r) => roleLabels[r] ?? r).join(', ');
}

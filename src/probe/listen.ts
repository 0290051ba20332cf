import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { ListenSpec } from './listen-spec.js';
import { parseRequest, svrResp, type SqlInstance } from './ssrp.js';

export interface Bound {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly address: string;
}

export interface NotBound {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly code: string;
  readonly why: string;
}

export interface Listeners {
  readonly bound: readonly Bound[];
  readonly failed: readonly NotBound[];
  /** Closes every listener and every accepted connection; resolves when the ports are released. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** One address to bind; default every address (IPv6 and IPv4 where the host has IPv6, else IPv4). */
  readonly bind?: string;
  /** Ports replaced for tests: the plan's port → the port actually bound. */
  readonly portMap?: (protocol: 'tcp' | 'udp', port: number) => number;
}

/**
 * Opens the stand-in listeners of a spec. A port that cannot be bound (in use: probably the real service; or
 * a privileged port without the right) is reported in `failed` and skipped: the others still stand in.
 */
export async function startListeners(spec: ListenSpec, options: ListenOptions = {}): Promise<Listeners> {
  const map = options.portMap ?? ((_p, port) => port);
  const bound: Bound[] = [];
  const failed: NotBound[] = [];
  const opened: Opened[] = [];
  const keep = (protocol: 'tcp' | 'udp', port: number, r: Opened | Refused) => {
    if ('close' in r) {
      bound.push({ protocol, port: r.port, address: r.address });
      opened.push(r);
    } else failed.push({ protocol, port, ...r });
  };
  for (const { port } of spec.tcp) keep('tcp', map('tcp', port), await openTcp(map('tcp', port), options.bind));
  if (spec.ssrp) keep('udp', map('udp', 1434), await openSsrp(map('udp', 1434), options.bind, spec.ssrp.instance));
  return {
    bound,
    failed,
    close: async () => {
      await Promise.all(opened.map((o) => o.close()));
    },
  };
}

type Opened = { readonly port: number; readonly address: string; readonly close: () => Promise<void> };
type Refused = { readonly code: string; readonly why: string };

/** Binds the unspecified address of IPv6 (which takes IPv4 too), or of IPv4 where IPv6 is off. */
async function withFallback<T>(bind: string | undefined, open: (address: string) => Promise<T>): Promise<T> {
  if (bind !== undefined) return open(bind);
  try {
    return await open('::');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL') return open('0.0.0.0');
    throw e;
  }
}

async function openTcp(port: number, bind: string | undefined): Promise<Opened | Refused> {
  try {
    return await withFallback(bind, (address) => tcpServer(port, address));
  } catch (e) {
    return refusal(e, 'tcp', port);
  }
}

function tcpServer(port: number, address: string): Promise<Opened> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined); // a client that resets is not our problem
    socket.once('close', () => sockets.delete(socket));
    socket.end(); // accept, then close politely: a FIN, no data
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: address, ipv6Only: false, exclusive: true }, () => {
      server.off('error', reject);
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      resolve({
        port: actual,
        address,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => { done(); });
          }),
      });
    });
  });
}

async function openSsrp(port: number, bind: string | undefined, instance: SqlInstance): Promise<Opened | Refused> {
  try {
    return await withFallback(bind, (address) => ssrpResponder(port, address, instance));
  } catch (e) {
    return refusal(e, 'udp', port);
  }
}

/**
 * A stand-in SQL Server Browser: answers CLNT_BCAST_EX/CLNT_UCAST_EX with its one instance, CLNT_UCAST_INST
 * only for that instance's name (as the real Browser keeps quiet about instances it does not have), and
 * ignores anything else.
 */
export function ssrpResponder(port: number, address: string, instance: SqlInstance): Promise<Opened> {
  const socket: UdpSocket = createSocket({ type: isIPv6(address) || address === '::' ? 'udp6' : 'udp4', ipv6Only: false });
  const answer = svrResp([instance]);
  socket.on('message', (message, peer) => {
    const request = parseRequest(message);
    const wanted = request.kind === 'all' || (request.kind === 'instance' && request.instance.toLowerCase() === instance.instanceName.toLowerCase());
    if (wanted) socket.send(answer, peer.port, peer.address);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined); // an ICMP error about a reply to a vanished client
      resolve({ port: socket.address().port, address, close: () => new Promise<void>((done) => socket.close(() => { done(); })) });
    });
  });
}

function refusal(e: unknown, protocol: 'tcp' | 'udp', port: number): Refused {
  const code = (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
  if (code === 'EADDRINUSE') return { code, why: `${protocol}/${port} is already in use, probably by the real service: skipped` };
  if (code === 'EACCES') return { code, why: `${protocol}/${port} needs privileges to bind (a port below 1024): skipped; run as root or administrator` };
  if (code === 'EADDRNOTAVAIL') return { code, why: 'the --bind address is not one of this machine\'s' };
  return { code, why: `${protocol}/${port} could not be bound: ${(e as Error).message}` };
}

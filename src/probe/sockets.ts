import { createSocket } from 'node:dgram';
import { connect, createServer, isIPv6 } from 'node:net';
import type { Attempter } from './engine.js';
import { describeInstances, parseSvrResp, ucastExRequest } from './ssrp.js';

/**
 * One TCP connect. The three-way handshake is the whole probe: once it completes the connection is closed
 * politely (FIN), no byte sent, so a real service sees a client that changed its mind.
 */
export const tcpAttempt: Attempter = (address, port, report) => {
  const socket = connect({ host: address, port, noDelay: true });
  let reported = false;
  const once = (outcome: Parameters<typeof report>[0]) => {
    if (reported) return;
    reported = true;
    report(outcome);
  };
  socket.once('connect', () => {
    socket.end();
    once({ kind: 'answer', detail: 'connection accepted (SYN-ACK)' });
  });
  socket.on('error', (e: NodeJS.ErrnoException) => { once({ kind: 'error', code: e.code ?? 'EUNKNOWN', message: e.message }); });
  return { cancel: () => void socket.destroy() };
};

/**
 * One SQL Server Resolution Protocol exchange on a connected UDP socket: connected, so that an ICMP port
 * unreachable comes back as ECONNREFUSED and only datagrams from the destination itself are received.
 */
export const ssrpAttempt: Attempter = (address, port, report) => {
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    socket.close();
  };
  const fail = (e: NodeJS.ErrnoException) => {
    if (closed) return;
    close();
    report({ kind: 'error', code: e.code ?? 'EUNKNOWN', message: e.message });
  };
  socket.on('error', fail);
  socket.on('message', (message) => {
    if (closed) return;
    close();
    const parsed = parseSvrResp(message);
    report({
      kind: 'answer',
      detail: parsed.ok
        ? `SQL Server Browser answered: ${describeInstances(parsed.instances)}`
        : `something answered on the port, but not in SVR_RESP form (${parsed.problem})`,
    });
  });
  // With a callback, a failed connect (no route) is reported to it and not as an 'error' event.
  socket.connect(port, address, (e?: Error) => {
    if (e) fail(e);
    else if (!closed) socket.send(ucastExRequest());
  });
  return { cancel: close };
};

/**
 * The first connects of a process pay for V8 compiling the socket code paths (tens of milliseconds): measured
 * against a real destination that would be the first RTT sample, and inflate the first timeouts. A few connects to
 * a listener of our own on loopback pay it instead. Best effort: without loopback, nothing happens.
 */
export async function warmUp(rounds = 3): Promise<void> {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.end();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    for (let i = 0; i < rounds; i++) {
      await new Promise<void>((resolve) => {
        tcpAttempt('127.0.0.1', port, () => {
          resolve();
        });
      });
    }
  } catch {
    // no loopback: the first samples will simply be a little slow
  } finally {
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  }
}

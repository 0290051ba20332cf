import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
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

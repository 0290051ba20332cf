/**
 * The SQL Server Resolution Protocol (MC-SQLR), the language of the SQL Server Browser on UDP 1434:
 * just enough of it to ask "which instances do you have?" and to answer it from a stand-in.
 * Pure byte work; the sockets live in udp.ts and listen.ts.
 */

/** MC-SQLR 2.2.2: a unicast request for every instance on the host; one byte. */
export const CLNT_UCAST_EX = 0x03;
/** MC-SQLR 2.2.1: the broadcast form of the same question; a stand-in answers it like CLNT_UCAST_EX. */
export const CLNT_BCAST_EX = 0x02;
/** MC-SQLR 2.2.3: a request for one named instance: 0x04, the name (at most 32 bytes), a NUL. */
export const CLNT_UCAST_INST = 0x04;
/** MC-SQLR 2.2.5: the server's answer: 0x05, RESP_SIZE (unsigned 16-bit, little-endian), RESP_DATA. */
export const SVR_RESP = 0x05;

export function ucastExRequest(): Buffer {
  return Buffer.from([CLNT_UCAST_EX]);
}

export function ucastInstRequest(instance: string): Buffer {
  const name = Buffer.from(instance, 'utf8');
  if (name.length === 0 || name.length > 32) throw new RangeError('an instance name is 1 to 32 bytes');
  return Buffer.concat([Buffer.from([CLNT_UCAST_INST]), name, Buffer.from([0])]);
}

export interface SqlInstance {
  readonly serverName: string;
  readonly instanceName: string;
  readonly isClustered: boolean;
  readonly version: string;
  /** The TCP port the instance listens on, when it has TCP enabled. */
  readonly tcpPort?: number;
  readonly pipe?: string;
}

export type ParsedResponse = { readonly ok: true; readonly instances: readonly SqlInstance[] } | { readonly ok: false; readonly problem: string };

/** Reads an SVR_RESP; anything that is not one is described, not thrown: the bytes still came from the port. */
export function parseSvrResp(message: Buffer): ParsedResponse {
  if (message.length < 3) return { ok: false, problem: `${message.length} bytes, shorter than an SVR_RESP header` };
  if (message[0] !== SVR_RESP) return { ok: false, problem: `first byte 0x${hex(message[0] ?? 0)}, not SVR_RESP (0x05)` };
  const size = message.readUInt16LE(1);
  if (message.length - 3 < size) return { ok: false, problem: `RESP_SIZE says ${size} bytes, ${message.length - 3} came` };
  const text = message.subarray(3, 3 + size).toString('utf8');
  return { ok: true, instances: parseRespData(text) };
}

/** RESP_DATA: instances separated by ";;", each a flat list of "key;value" pairs (MC-SQLR 2.2.5, ABNF). */
export function parseRespData(text: string): SqlInstance[] {
  return text
    .split(';;')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => instanceOf(chunk.split(';')));
}

function instanceOf(tokens: string[]): SqlInstance {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < tokens.length; i += 2) values.set((tokens[i] ?? '').toLowerCase(), tokens[i + 1] ?? '');
  const port = Number(values.get('tcp'));
  const pipe = values.get('np');
  return {
    serverName: values.get('servername') ?? '',
    instanceName: values.get('instancename') ?? '',
    isClustered: (values.get('isclustered') ?? '').toLowerCase() === 'yes',
    version: values.get('version') ?? '',
    ...(Number.isInteger(port) && port > 0 && port < 65536 ? { tcpPort: port } : {}),
    ...(pipe ? { pipe } : {}),
  };
}

/** Builds an SVR_RESP for a stand-in responder; names are trimmed of the separator so they cannot forge fields. */
export function svrResp(instances: readonly SqlInstance[]): Buffer {
  const clean = (s: string) => s.replace(/;/g, '');
  const data = instances
    .map((i) => {
      const fields = ['ServerName', clean(i.serverName), 'InstanceName', clean(i.instanceName), 'IsClustered', i.isClustered ? 'Yes' : 'No', 'Version', clean(i.version)];
      if (i.tcpPort !== undefined) fields.push('tcp', String(i.tcpPort));
      if (i.pipe !== undefined) fields.push('np', clean(i.pipe));
      return `${fields.join(';')};;`;
    })
    .join('');
  const body = Buffer.from(data, 'utf8');
  if (body.length > 0xffff) throw new RangeError('RESP_DATA is at most 65,535 bytes');
  const header = Buffer.alloc(3);
  header[0] = SVR_RESP;
  header.writeUInt16LE(body.length, 1);
  return Buffer.concat([header, body]);
}

export type ParsedRequest =
  | { readonly kind: 'all' }
  | { readonly kind: 'instance'; readonly instance: string }
  | { readonly kind: 'other'; readonly first: number };

/** What a client asked: all instances (BCAST_EX or UCAST_EX), one instance (UCAST_INST), or something else. */
export function parseRequest(message: Buffer): ParsedRequest {
  const first = message[0];
  if (first === CLNT_UCAST_EX || first === CLNT_BCAST_EX) return { kind: 'all' };
  if (first === CLNT_UCAST_INST) {
    const end = message.indexOf(0, 1);
    const name = message.subarray(1, end < 0 ? message.length : end).toString('utf8');
    return { kind: 'instance', instance: name };
  }
  return { kind: 'other', first: first ?? -1 };
}

/** "SCOMFW (tcp 1433), ACS (tcp 1435)": what an answer said, for a result's detail. */
export function describeInstances(instances: readonly SqlInstance[]): string {
  if (instances.length === 0) return 'no instances';
  return instances.map((i) => `${i.instanceName || '?'}${i.tcpPort !== undefined ? ` (tcp ${i.tcpPort})` : ''}`).join(', ');
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

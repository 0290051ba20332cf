import { describe, expect, it } from 'vitest';
import { describeInstances, parseRequest, parseSvrResp, svrResp, ucastExRequest, ucastInstRequest } from '../../src/probe/ssrp.js';

/** An SVR_RESP as a SQL Server 2000 era Browser sent it (two instances), built byte by byte. */
function recorded(): Buffer {
  const data =
    'ServerName;BRINKLEY;InstanceName;MSSQLSERVER;IsClustered;No;Version;8.00.194;tcp;1433;np;\\\\BRINKLEY\\pipe\\sql\\query;;' +
    'ServerName;BRINKLEY;InstanceName;DOG;IsClustered;No;Version;8.00.194;tcp;3546;np;\\\\BRINKLEY\\pipe\\MSSQL$DOG\\sql\\query;;';
  const body = Buffer.from(data, 'latin1');
  return Buffer.concat([Buffer.from([0x05, body.length & 0xff, body.length >> 8]), body]);
}

describe('SSRP requests', () => {
  it('CLNT_UCAST_EX is the single byte 0x03', () => {
    expect([...ucastExRequest()]).toEqual([0x03]);
  });

  it('CLNT_UCAST_INST is 0x04, the name, NUL', () => {
    expect([...ucastInstRequest('ACS')]).toEqual([0x04, 0x41, 0x43, 0x53, 0x00]);
    expect(() => ucastInstRequest('x'.repeat(33))).toThrow(RangeError);
  });

  it('parses what a client asked', () => {
    expect(parseRequest(Buffer.from([0x03]))).toEqual({ kind: 'all' });
    expect(parseRequest(Buffer.from([0x02]))).toEqual({ kind: 'all' });
    expect(parseRequest(ucastInstRequest('SCOMFW'))).toEqual({ kind: 'instance', instance: 'SCOMFW' });
    expect(parseRequest(Buffer.from([0x0f, 0x01]))).toEqual({ kind: 'other', first: 0x0f });
  });
});

describe('SVR_RESP', () => {
  it('reads a recorded answer: RESP_SIZE little-endian, instances split at ";;"', () => {
    const parsed = parseSvrResp(recorded());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.instances.map((i) => [i.serverName, i.instanceName, i.tcpPort, i.isClustered])).toEqual([
      ['BRINKLEY', 'MSSQLSERVER', 1433, false],
      ['BRINKLEY', 'DOG', 3546, false],
    ]);
    expect(parsed.instances[1]?.pipe).toBe('\\\\BRINKLEY\\pipe\\MSSQL$DOG\\sql\\query');
    expect(describeInstances(parsed.instances)).toBe('MSSQLSERVER (tcp 1433), DOG (tcp 3546)');
  });

  it('an instance without TCP has no port', () => {
    const r = parseSvrResp(svrResp([{ serverName: 'S', instanceName: 'NP', isClustered: true, version: '16.0.1000.6' }]));
    expect(r.ok && r.instances[0]).toEqual({ serverName: 'S', instanceName: 'NP', isClustered: true, version: '16.0.1000.6' });
  });

  it('round-trips what the stand-in answers, and separators in names cannot forge fields', () => {
    const bytes = svrResp([{ serverName: 'SQL01;tcp;9', instanceName: 'SCOMFW', isClustered: false, version: '0.0.0.0', tcpPort: 1435 }]);
    expect(bytes[0]).toBe(0x05);
    expect(bytes.readUInt16LE(1)).toBe(bytes.length - 3);
    const r = parseSvrResp(bytes);
    expect(r.ok && r.instances).toEqual([{ serverName: 'SQL01tcp9', instanceName: 'SCOMFW', isClustered: false, version: '0.0.0.0', tcpPort: 1435 }]);
  });

  it('describes, never throws on, what is not an SVR_RESP', () => {
    expect(parseSvrResp(Buffer.from([0x05, 0x01]))).toEqual({ ok: false, problem: '2 bytes, shorter than an SVR_RESP header' });
    expect(parseSvrResp(Buffer.from('hello'))).toMatchObject({ ok: false, problem: expect.stringContaining('0x68') as unknown });
    expect(parseSvrResp(Buffer.from([0x05, 0x10, 0x00, 0x41]))).toMatchObject({ ok: false, problem: 'RESP_SIZE says 16 bytes, 1 came' });
  });
});

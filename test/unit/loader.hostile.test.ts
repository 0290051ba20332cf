import { describe, expect, it } from 'vitest';
import { loadDeployment, UserErrors, type UserError } from '../../src/topology/index.js';
import { hostileStrings } from '../fixtures/hostile.js';

/** A YAML double-quoted scalar with every non-ASCII character escaped, so the text reaches validation as written. */
const yamlQuoted = (s: string): string => JSON.stringify(s).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

function yamlWith(key: 'name' | 'description', value: string): string {
  const line = key === 'name' ? `  - name: ${yamlQuoted(value)}` : `  - name: ms01\n    description: ${yamlQuoted(value)}`;
  return ['managementGroup: CONTOSO', 'hosts:', line, '    address: 10.0.0.1', '    roles: [management-server]', ''].join('\n');
}

function jsonWith(key: 'name' | 'description', value: string): string {
  const host = { name: key === 'name' ? value : 'ms01', ...(key === 'description' ? { description: value } : {}), address: '10.0.0.1', roles: ['management-server'] };
  return JSON.stringify({ managementGroup: 'CONTOSO', hosts: [host] }, null, 2);
}

function refusal(text: string, file: string): UserError[] {
  try {
    loadDeployment(text, file);
  } catch (e) {
    if (e instanceof UserErrors) return [...e.errors];
    throw e;
  }
  throw new Error(`loaded: ${text}`);
}

describe('hostile names and descriptions', () => {
  it('has a corpus of at least 30 strings', () => {
    expect(hostileStrings.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(['name', 'description'] as const)('as a %s', (key) => {
    const line = key === 'name' ? 3 : 4;
    it.each(hostileStrings.map((s) => [JSON.stringify(s), s]))('%s is refused in YAML at its line, naming the character', (_, s) => {
      const errors = refusal(yamlWith(key, s), 'hostile.yaml');
      const error = errors.find((e) => e.message.startsWith(`hosts[0].${key}:`));
      expect(error?.position?.line).toBe(line);
      expect(error?.position?.column).toBeGreaterThanOrEqual(key === 'name' ? 11 : 18);
      expect(error?.message).toMatch(/found (a |an |the character U\+|".")/);
      expect(error?.hint).toBeTruthy();
      // The message never echoes a control or non-ASCII character back to the terminal.
      expect(errors.every((e) => /^[\x20-\x7e]*$/.test(e.format()))).toBe(true);
    });

    it.each(hostileStrings.map((s) => [JSON.stringify(s), s]))('%s is refused in JSON too', (_, s) => {
      const error = refusal(jsonWith(key, s), 'hostile.json').find((e) => e.message.startsWith(`hosts[0].${key}:`));
      expect(error?.position?.line).toBe(key === 'name' ? 5 : 6);
      expect(error?.hint).toBeTruthy();
    });
  });

  it('points at the offending character itself when the value is written plainly', () => {
    const text = 'managementGroup: CONTOSO\nhosts:\n  - name: ms01;reboot\n    address: 10.0.0.1\n    roles: [management-server]\n';
    const [error] = refusal(text, 'x.yaml');
    expect(error?.position).toEqual({ file: 'x.yaml', line: 3, column: 15 });
    expect(error?.message).toContain('found ";" at character 5');
  });
});

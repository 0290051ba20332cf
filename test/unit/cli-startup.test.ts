import { describe, expect, it } from 'vitest';
import { neededCommands } from '../../src/cli/main.js';

/*
 * Each command's file is loaded only when a run needs it (src/cli/main.ts): printing the version needs none (it
 * loaded all twelve, the audit engine's zod among them, 0.4 s for one line), a named command its own, help and
 * anything unknown all of them.
 */
const names = (argv: readonly string[]) => neededCommands(argv).map(([name]) => name);

describe('the command files a run loads', () => {
  it('none for the version alone', () => {
    expect(names(['--version'])).toEqual([]);
    expect(names(['-V'])).toEqual([]);
  });

  it('the named command only, even with --version after it', () => {
    expect(names(['validate', 'd.json'])).toEqual(['validate']);
    expect(names(['--debug', 'plan', '--version'])).toEqual(['plan']);
  });

  it('all of them for help, a version flag among other words, or a word that is no command', () => {
    const all = names(['--help']);
    expect(all.length).toBeGreaterThan(10);
    expect(names(['--version', '--debug'])).toEqual(all);
    expect(names(['help', 'plan'])).toEqual(all);
    expect(names(['no-such-command'])).toEqual(all);
  });
});

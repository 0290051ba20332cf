import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import { catalogRevision } from '../catalog/index.js';
import { derivePlan } from '../plan/derive.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../topology/errors.js';
import { loadJsonFast, type ByteSource } from '../topology/fast-json.js';
import type { Deployment, PlanStage } from '../topology/types.js';

/** Where a command writes; tests pass their own so commands run in-process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
}

export interface CliContext {
  readonly io: CliIo;
  /** Sets the process exit code; the highest code set wins (2 over 1 over 0). */
  exit(code: 0 | 1 | 2): void;
}

/** The example `plan` uses when no FILE is given. */
export const bundledExample = join(import.meta.dirname, '..', '..', 'examples', 'contoso.yaml');

/**
 * Reads and validates a deployment file; with no file, the bundled example (and says so on stderr). The general
 * loader (zod, both YAML parsers) is loaded only for a file the JSON fast lane does not take: 70 ms of CPU at
 * start-up (validate of 15,000 agents) that a generated JSON export does not pay.
 */
export async function readDeployment(ctx: CliContext, file: string | undefined): Promise<Deployment> {
  const path = file ?? bundledExample;
  if (!file) ctx.io.stderr.write(`scomfw: no FILE given, using the bundled example ${relative(ctx.io.cwd, path) || path}\n`);
  const shown = file ?? relative(ctx.io.cwd, path);
  // The fast lane takes the common JSON shape as the file is read; anything else (or anything wrong) is read the
  // general way.
  const input = openDeployment(path, ctx.io.cwd);
  let fast: Deployment | undefined;
  try {
    fast = loadJsonFast(input.fast, shown);
  } finally {
    input.close();
  }
  const deployment = fast ?? (await import('../topology/load.js')).loadDeployment(input.text(), shown);
  for (const w of deployment.warnings ?? []) ctx.io.stderr.write(`scomfw: warning: ${w.format()}\n`);
  return deployment;
}

export function readText(path: string, cwd: string): string {
  return utf8Text(readBytes(path, cwd));
}

function readBytes(path: string, cwd: string): Buffer {
  try {
    return readFileSync(fullPath(path, cwd));
  } catch (e) {
    throw unreadable(path, e);
  }
}

/**
 * A deployment file as the two loaders read it: the fast lane reads a regular file through its window as it comes,
 * and the general path reads it again, whole, if the lane declines. Anything else (a pipe, /dev/stdin) can be read
 * only once: its bytes are read whole, for both.
 */
function openDeployment(path: string, cwd: string): { readonly fast: Uint8Array | ByteSource; text(): string; close(): void } {
  let fd: number;
  let stat: Stats;
  try {
    fd = openSync(fullPath(path, cwd), 'r');
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    stat = fstatSync(fd);
  } catch (e) {
    closeSync(fd);
    throw unreadable(path, e);
  }
  if (!stat.isFile()) {
    try {
      const bytes = readFileSync(fd);
      return { fast: bytes, text: () => utf8Text(bytes), close: () => undefined };
    } catch (e) {
      throw unreadable(path, e);
    } finally {
      closeSync(fd);
    }
  }
  const source: ByteSource = {
    size: stat.size,
    read: (into, offset, length) => {
      try {
        return readSync(fd, into, offset, length, null);
      } catch (e) {
        throw unreadable(path, e);
      }
    },
    all: () => readBytes(path, cwd),
  };
  return {
    fast: source,
    text: () => readText(path, cwd),
    close: () => {
      closeSync(fd);
    },
  };
}

function fullPath(path: string, cwd: string): string {
  return path.startsWith('/') ? path : join(cwd, path);
}

function unreadable(path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? e);
  return new UserError(`cannot read ${path}: ${why}`, undefined, 'give the path of a deployment file (YAML or JSON), e.g. examples/contoso.yaml');
}

/**
 * The bytes as UTF-8 text, as readFileSync(path, 'utf8') gives it. ASCII (every generated export, most files) is
 * copied byte for byte instead of decoded: measured on 21 MB, a tenth to a quarter less time, and the text is
 * the same one-byte string.
 */
function utf8Text(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** The plan of a deployment, with the phase optionally overridden from the command line. */
export function planFor(deployment: Deployment, phase?: PlanStage): Plan {
  const d = phase ? { ...deployment, phase } : deployment;
  return derivePlan(d, catalogRevision(d.catalog));
}

export const phaseChoices = ['install', 'operate'] as const;

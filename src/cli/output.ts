import { Buffer } from 'node:buffer';
import { closeSync, mkdirSync, openSync, readdirSync, rmdirSync, statSync, unlinkSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UserError, UserErrors } from '../topology/errors.js';
import { linesOf, type LinesMaker } from '../targets/lines-file.js';
import { ByteChunk } from '../text/byte-chunk.js';

/**
 * Output paths are the user's input: every problem with them is found before anything is written, and reported as
 * bad input (exit 2) with the path and a hint, never as an internal error halfway through.
 */

interface Named {
  readonly path: string;
}

const dirHint = 'give --out a directory you can write to (it is created if missing), e.g. --out ./fw';

/** Writes `files` under `dir`, after checking every path; returns how many distinct files are on disk. */
export function writeTree(dir: string, files: readonly (Named & { readonly content: string })[]): number {
  prepareTree(dir, files);
  const written = new Set<string>();
  // One mkdir per directory, not per file: 20,000 push-installed agents write 60,000 files into one directory.
  const made = new Set<string>();
  const chunk = new ByteChunk(chunkSize);
  for (const f of files) {
    const path = join(dir, f.path);
    const parent = dirname(path);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    const maker = linesOf(f);
    if (maker) writeLines(path, maker, chunk);
    else writeFileSync(path, f.content);
    written.add(path);
  }
  return written.size;
}

/**
 * One file's text written line by line through one chunk buffer reused for every file (src/text/byte-chunk.ts, as
 * the plan table is written): never the whole text as a string and then again as bytes (each 62 MB for iptables at
 * 150,000 agents, in fresh memory, which this VM takes 2.6 ms per MB to touch), and each line copied as it comes,
 * so that it dies young.
 */
function writeLines(path: string, maker: LinesMaker, chunk: ByteChunk): void {
  const fd = openSync(path, 'w');
  try {
    const eol = maker.eol === '\n' ? lf : crlf;
    let count = 0;
    const write = (line: string): void => {
      writeLine(fd, chunk, line, eol);
      count++;
    };
    const writeParts = (...parts: string[]): void => {
      for (const part of parts) chunk.text(part);
      writeLine(fd, chunk, '', eol);
      count++;
    };
    for (const entry of maker.lines()) {
      if (typeof entry === 'string') write(entry);
      else if (typeof entry === 'function') entry(writeParts);
      else for (const line of entry) write(line);
    }
    // lfText's file of no lines is one empty line; crlfText's is empty.
    if (count === 0 && maker.eol === '\n') chunk.bytes(lf);
    writeChunk(fd, chunk);
  } finally {
    // Nothing of a file that failed is left for the next one.
    chunk.take();
    chunk.reuse();
    closeSync(fd);
  }
}

function writeLine(fd: number, chunk: ByteChunk, line: string, eol: Uint8Array): void {
  chunk.text(line);
  chunk.bytes(eol);
  if (chunk.length >= chunkSize) writeChunk(fd, chunk);
}

const chunkSize = 1 << 18;
const lf = Buffer.from('\n');
const crlf = Buffer.from('\r\n');

/** Writes what the chunk holds and takes its buffer back: writeSync holds nothing once it returns. */
function writeChunk(fd: number, chunk: ByteChunk): void {
  const bytes = chunk.take();
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  chunk.reuse();
}

/**
 * Checks the directory and every file path under it, then creates the directory and proves it writable with a
 * probe file (removed again). Throws UserErrors listing every problem; on failure, directories it made are removed.
 */
export function prepareTree(dir: string, files: readonly Named[]): void {
  const problems: UserError[] = [];
  const lookup = new PathLookup();
  const dirProblem = pathProblem(dir, 'directory', lookup);
  if (dirProblem) problems.push(dirProblem);
  else {
    for (const f of files) {
      const p = pathProblem(join(dir, f.path), 'file', lookup);
      if (p) problems.push(p);
    }
  }
  if (problems.length > 0) throw new UserErrors(problems);
  proveWritable(dir);
}

/** Checks a single output file (check --out): its directory exists and is writable, and it is not a directory. */
export function prepareFile(path: string): void {
  const p = pathProblem(path, 'file');
  if (p) throw p;
  const parent = dirname(path);
  if (!statOf(parent)) throw new UserError(`cannot write ${path}: no such directory`, undefined, `create ${parent} first, or give --out a file in a directory that exists`);
  proveWritable(parent);
}

/** Writes one output file (check --out, audit --out); a failure is the user's path, named with the reason. */
export function writeOutFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new UserError(`cannot write ${path}: ${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code}`, undefined, 'give --out a file in a directory that exists');
  }
}

/** Fails fast on the kernel's pseudo file systems, where mkdir can loop or writes mean something else. */
const pseudo = ['/proc', '/sys', '/dev'];

/**
 * What is on disk at the paths of one output tree, each directory stat'ed and listed once: checking 60,000 files
 * with a stat each (and a failed stat of every missing ancestor) took longer than rendering them.
 */
class PathLookup {
  private readonly stats = new Map<string, Stats | undefined>();
  /** Per directory: its entries, and whether each is a directory (undefined: a symlink, stat'ed when asked). */
  private readonly listings = new Map<string, ReadonlyMap<string, boolean | undefined> | null>();

  stat(path: string): Stats | undefined {
    if (!this.stats.has(path)) this.stats.set(path, statOf(path));
    return this.stats.get(path);
  }

  /** Whether something is at `path` and whether it is a directory (symlinks followed), found in its parent's listing. */
  entry(path: string): { isDirectory(): boolean } | undefined {
    const parent = dirname(path);
    let listing = this.listings.get(parent);
    if (listing === undefined) {
      const above = this.stat(parent);
      // Nothing can be under a parent that is missing or not a directory (the ancestor check reports it).
      listing = !above ? new Map() : above.isDirectory() ? listingOf(parent) : new Map();
      this.listings.set(parent, listing);
    }
    if (listing === null) return statOf(path);
    const name = basename(path);
    if (!listing.has(name)) return undefined;
    const isDirectory = listing.get(name);
    return isDirectory === undefined ? statOf(path) : { isDirectory: () => isDirectory };
  }
}

/** A directory's entries (a symbolic link maps to undefined), or null when it cannot be listed. */
function listingOf(dir: string): ReadonlyMap<string, boolean | undefined> | null {
  try {
    return new Map(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e.isSymbolicLink() ? undefined : e.isDirectory()]));
  } catch {
    return null;
  }
}

function pathProblem(path: string, kind: 'file' | 'directory', lookup = new PathLookup()): UserError | undefined {
  const full = resolve(path);
  const under = pseudo.find((p) => full === p || full.startsWith(p + sep));
  if (under) return new UserError(`cannot write ${path}: it is under ${under}, a kernel file system, not a place for files`, undefined, kind === 'file' ? 'give --out a file on a real disk' : dirHint);
  const own = kind === 'file' ? lookup.entry(full) : lookup.stat(full);
  if (own) {
    if (kind === 'directory' && !own.isDirectory()) return new UserError(`cannot write into ${path}: it is a file, not a directory`, undefined, `${dirHint}; --out names a directory for the target's files`);
    if (kind === 'file' && own.isDirectory()) return new UserError(`cannot write ${path}: a directory is in the way`, undefined, 'remove or rename that directory, or give another --out');
    return undefined;
  }
  // The nearest existing ancestor must be a directory: "fw.txt/sub" under a file cannot be made.
  for (let up = dirname(full); ; up = dirname(up)) {
    const s = lookup.stat(up);
    if (s) return s.isDirectory() ? undefined : new UserError(`cannot write ${path}: ${up} is a file, not a directory`, undefined, dirHint);
    if (dirname(up) === up) return undefined;
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Creates `dir` one level at a time (no recursive mkdir: it has spun on /proc) and writes and removes a probe file. */
function proveWritable(dir: string): void {
  const made: string[] = [];
  const full = resolve(dir);
  try {
    const missing: string[] = [];
    for (let up = full; !statOf(up); up = dirname(up)) {
      missing.unshift(up);
      if (dirname(up) === up) break;
    }
    for (const d of missing) {
      mkdirSync(d);
      made.push(d);
    }
    const probe = join(full, `.scomfw-write-test-${process.pid}`);
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (e) {
    for (const d of made.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // left behind: empty, and the error below says what went wrong
      }
    }
    throw new UserError(`cannot write into ${dir}: ${reason(e)}`, undefined, dirHint);
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a part of the path is a file',
    ENOENT: 'a part of the path cannot be created',
    EEXIST: 'a probe file is in the way',
  };
  return (code && reasons[code]) ?? (e as Error).message;
}

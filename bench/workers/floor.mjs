/**
 * The least any Node.js program must do to give scomfw's answer, for bench/capirca.bench.ts: start, read the
 * deployment file's bytes (not even parsed), then write as many files of as many bytes as scomfw wrote (filler
 * bytes, nothing computed). Plain JavaScript run by node itself, so that no loader adds to it.
 *
 * Arguments: the deployment file, a manifest (JSON: [relative path, size][]), the output directory.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [file = '', manifest = '', out = ''] = process.argv.slice(2);
readFileSync(file);
/** @type {[string, number][]} */
const files = JSON.parse(readFileSync(manifest, 'utf8'));
const filler = Buffer.alloc(Math.max(0, ...files.map(([, size]) => size)), 0x23);
const made = new Set();
for (const [path, size] of files) {
  const full = join(out, path);
  if (!made.has(dirname(full))) {
    mkdirSync(dirname(full), { recursive: true });
    made.add(dirname(full));
  }
  writeFileSync(full, filler.subarray(0, size));
}

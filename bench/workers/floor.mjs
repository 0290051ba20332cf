/**
 * The least any Node.js program must do to give scomfw's answer, for bench/capirca.bench.ts: start, read the
 * deployment file's bytes (not even parsed), then write as many files of as many bytes as scomfw wrote (filler
 * bytes, nothing computed). Plain JavaScript run by node itself, so that no loader adds to it.
 *
 * With --parse it also parses the deployment with JSON.parse (V8's own parser, in C++): no program can plan without
 * reading every host, so this is the least one that looks at its input.
 *
 * Arguments: the deployment file, a manifest (JSON: [relative path, size][]), the output directory, [--parse].
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [file = '', manifest = '', out = '', mode = ''] = process.argv.slice(2);
const bytes = readFileSync(file);
if (mode === '--parse') JSON.parse(bytes.toString('utf8'));
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

#!/usr/bin/env node
// tsc copies only what it compiles. Asset files that sit beside the modules that read them (PowerShell
// programs such as the verify prober and the exporters, page bundles) are copied to the same place under dist/,
// so `new URL('./x.ps1', import.meta.url)` finds them both from src/ (tests, tsx) and from dist/ (the CLI).
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const assetExtensions = ['.ps1', '.psm1', '.psd1'];
const src = join(import.meta.dirname, '..', 'src');
const dist = join(import.meta.dirname, '..', 'dist');

let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !assetExtensions.some((e) => entry.name.endsWith(e))) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join(dist, relative(src, from)));
  copied += 1;
}
if (process.env.SCOMFW_BUILD_VERBOSE) console.log(`copied ${copied} asset files to dist/`);

import { UserError } from '../../topology/errors.js';
import type { Importer } from '../model.js';
import { awsImporter } from './aws.js';
import { azureImporter } from './azure.js';
import { firewalldImporter } from './firewalld.js';
import { iptablesImporter } from './iptables.js';
import { netshImporter } from './netsh.js';
import { nftablesImporter } from './nftables.js';
import { windowsJsonImporter } from './windows-json.js';

/**
 * Every export format `scomfw audit` reads, by the name `--input-format` takes. Adding one is one file under
 * src/audit/importers/ and one line here. Detection asks each in this order and takes the first that says yes,
 * so the stricter detectors come first.
 */
const table: readonly Importer[] = [
  // one line per importer
  nftablesImporter,
  iptablesImporter,
  windowsJsonImporter,
  awsImporter,
  azureImporter,
  netshImporter,
  firewalldImporter,
];

export function importers(): readonly Importer[] {
  return table;
}

export function importerNames(): string[] {
  return table.map((i) => i.name);
}

/** The importer for a file: forced by name, else recognised from the content; bad input otherwise. */
export function importerFor(text: string, fileName: string, forced?: string): Importer {
  if (forced !== undefined) {
    const found = table.find((i) => i.name === forced);
    if (!found) throw new UserError(`unknown input format "${forced}"`, undefined, `use one of: ${importerNames().join(', ')}`);
    return found;
  }
  const found = table.find((i) => i.detect(text, fileName));
  if (!found) {
    throw new UserError(
      "the export's format is not recognised",
      { file: fileName, line: 1, column: 1 },
      `give --input-format (${importerNames().join(', ')}); for nftables export with \`nft -j list ruleset\`, for iptables with \`iptables-save\``,
    );
  }
  return found;
}

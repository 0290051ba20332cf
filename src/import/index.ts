import { UserError } from '../topology/errors.js';
import { loadDeployment } from '../topology/index.js';
import { csvInventory } from './csv.js';
import { scomInventory } from './scom.js';
import { writeDeployment, type ExistingFile, type ImportOutput } from './write.js';

export { scomExportJsonSchema, scomExportSchema, scomExportFormat, scomExportVersion, type ScomExport } from './export-format.js';
export { csvColumns } from './csv.js';
export type { ChangeReport, ExistingFile, ImportOutput } from './write.js';

/** A deployment file from a SCOM inventory export; with `existing`, an update of that file. Pure. */
export function importScom(text: string, file: string, existing?: ExistingFile): ImportOutput {
  return writeDeployment(scomInventory(text, file), existing);
}

/**
 * A deployment file from a CSV host list. The management group comes from the option, else from the existing
 * file; a new file without one is refused (a made-up name would be a silent guess).
 */
export function importCsv(text: string, file: string, options: { managementGroup?: string; existing?: ExistingFile }): ImportOutput {
  const managementGroup = options.managementGroup ?? (options.existing ? loadDeployment(options.existing.text, options.existing.file).managementGroup : undefined);
  if (managementGroup === undefined) {
    throw new CsvNeedsGroupError();
  }
  return writeDeployment(csvInventory(text, file, { managementGroup }), options.existing);
}


class CsvNeedsGroupError extends UserError {
  constructor() {
    super('scomfw import csv: expected --management-group NAME for a new file, found none', undefined, 'a host list does not name its management group: give --management-group CONTOSO, or --update an existing deployment file');
  }
}

import { revision2016 } from './revisions/2016-08.js';
import { revision2024 } from './revisions/2024-11.js';
import type { CatalogRevision, Revision } from './types.js';

export * from './types.js';
export * from './roles.js';

const byRevision: Readonly<Record<Revision, CatalogRevision>> = {
  '2016-08': revision2016,
  '2024-11': revision2024,
};

export function catalogRevision(revision: Revision): CatalogRevision {
  return byRevision[revision];
}
export * from './settings.js';

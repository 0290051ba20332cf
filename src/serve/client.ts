import type { ResultsFile } from '../probe/results.js';
import { UserError } from '../topology/errors.js';

/** The results endpoint of a server given as its base address (`http://host:8080`) or the endpoint itself. */
export function resultsEndpoint(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UserError(`--report-to ${base}: not a URL`, undefined, 'give the address scomfw serve printed, e.g. http://scom-fw.contoso.com:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--report-to ${base}: expected http:// or https://`);
  if (!url.pathname.endsWith('/api/results')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/results`;
  return url;
}

/**
 * Posts one result file; a server that is briefly away (restarting, connection reset) is tried again, since the
 * store takes the same file once only. Resolves with the id the server gave, rejects with a sentence.
 */
export async function postResults(url: URL, token: string, results: ResultsFile, attempts = 4): Promise<{ id: string; duplicate: boolean }> {
  const body = JSON.stringify(results);
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body, signal: AbortSignal.timeout(30_000) });
      const answer = (await res.json().catch(() => ({}))) as { id?: string; duplicate?: boolean; error?: string };
      if ((res.status === 201 || res.status === 200) && typeof answer.id === 'string') return { id: answer.id, duplicate: answer.duplicate === true };
      last = `${res.status}: ${answer.error ?? res.statusText}`;
      if (res.status < 500) break; // the server refused the file; sending it again changes nothing
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      last = cause ?? (e as Error).message;
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
  }
  throw new Error(`cannot report to ${url.origin}${url.pathname}: ${last}`);
}

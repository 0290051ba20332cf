/**
 * Cells of the documents scomfw writes (CSV and Markdown tables), shared by the catalog, the plan, the
 * change-request targets and the probe report, so that every document neutralises text the same way.
 */

/**
 * One RFC 4180 field. A cell a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, tab or
 * CR) gets a leading `'`, so opening the file runs nothing; then a field with a comma, quote or line break is
 * quoted, its quotes doubled.
 */
export function csvField(text: string): string {
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/**
 * Text made inert for a Markdown table cell: Markdown punctuation is backslash-escaped (no emphasis, link,
 * code span or column break can start), `&`, `<`, `>` become entities (no HTML), and line breaks become
 * spaces, so a cell can never end its row.
 */
export function markdownCell(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}

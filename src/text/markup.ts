/**
 * Text for XML and HTML (firewalld zone files, JUnit reports, the probe report page): the five characters with a
 * meaning become references (`'` as `&#39;`, which XML and HTML both read), and the characters XML 1.0 cannot
 * hold at all, not even escaped, become U+FFFD.
 */

// XML 1.0 allows tab, newline, carriage return and everything from U+0020 but U+FFFE and U+FFFF.
// eslint-disable-next-line no-control-regex
const xmlInvalid = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const references: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an XML or HTML attribute value (in double or single quotes) or element content. */
export function markupText(text: string): string {
  return text.replace(xmlInvalid, '\ufffd').replace(/[&<>"']/g, (c) => references[c] ?? c);
}

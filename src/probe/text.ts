/** Small text helpers shared by the probe reporters. */

/** Pads or shortens to exactly n characters; a shortened cell ends with an ellipsis, never wraps. */
export function fit(text: string, n: number): string {
  return text.length <= n ? text.padEnd(n) : `${text.slice(0, n - 1)}…`;
}

/** Wraps at spaces to lines of at most `width` characters; continuation lines are indented by `indent`. */
export function wrap(text: string, width: number, indent = '  '): string[] {
  if (text === '') return [''];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = `${indent}${word}`;
    }
  }
  if (line) lines.push(line);
  return lines.flatMap((l) => (l.length <= width ? [l] : chunks(l, width)));
}

function chunks(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

/** Right-aligned to n characters (numbers in a column). */
export function fitRight(text: string, n: number): string {
  return text.length <= n ? text.padStart(n) : `${text.slice(0, n - 1)}…`;
}

/** "tcp/5723", "udp/1434", "tcp/49152-65535", "icmp/echo", read back from a flow id when the port is null. */
export function portLabel(r: { readonly protocol: string; readonly port: number | null; readonly flow: string }): string {
  if (r.port !== null) return `${r.protocol}/${r.port}`;
  const afterColon = r.flow.slice(r.flow.lastIndexOf(':') + 1);
  return afterColon.startsWith(`${r.protocol}/`) ? afterColon : `${r.protocol}/-`;
}

// XML 1.0 allows tab, newline, carriage return and everything from U+0020; other control characters cannot be
// written at all, not even escaped, so they are replaced.
// eslint-disable-next-line no-control-regex
const xmlInvalid = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function xmlEscape(text: string): string {
  return text.replace(xmlInvalid, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

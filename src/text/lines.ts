/** Lines into file content: every line ends in a newline, LF or (Windows scripts, CSV) CRLF. */

/**
 * File content: lines joined by newlines, ending in one. Joined with an empty last line rather than adding "\n" to
 * the joined text: that would be a rope of two parts, copied whole again when the file is written (62 MB of
 * iptables rules at 150,000 agents).
 */
export function lfText(lines: readonly string[]): string {
  return lines.length === 0 ? '\n' : [...lines, ''].join('\n');
}

/**
 * File content with CRLF line ends: cmd.exe mislocates `goto` labels with bare LF, Notepad before Windows Server 2019
 * shows a file without them as one line, and RFC 4180 CSV wants them.
 */
export function crlfText(lines: readonly string[]): string {
  // One join, not a string per line joined again.
  return [...lines, ''].join('\r\n');
}

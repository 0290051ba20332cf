/** Small text helpers of the probe reporters; fitting, wrapping and escaping are in src/text/. */

/** "tcp/5723", "udp/1434", "tcp/49152-65535", "icmp/echo", read back from a flow id when the port is null. */
export function portLabel(r: { readonly protocol: string; readonly port: number | null; readonly flow: string }): string {
  if (r.port !== null) return `${r.protocol}/${r.port}`;
  const afterColon = r.flow.slice(r.flow.lastIndexOf(':') + 1);
  return afterColon.startsWith(`${r.protocol}/`) ? afterColon : `${r.protocol}/-`;
}

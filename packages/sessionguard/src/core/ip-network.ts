/**
 * The network an address belongs to, for binding checks (SPEC L13): IPv4 /24
 * and IPv6 /48 by default, so a phone moving between cells of one carrier or a
 * DHCP lease renewal is not an anomaly but a jump to another network is.
 * Returns `null` for an unparseable address.
 */
export function ipNetwork(address: string, v4Bits = 24, v6Bits = 48): string | null {
  let ip = address.trim();
  if (ip.startsWith("::ffff:") && ip.includes(".")) ip = ip.slice(7);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const parts = ip.split(".").map(Number);
    if (parts.some((p) => p > 255)) return null;
    const value = parts.reduce((acc, p) => acc * 256 + p, 0);
    const mask = v4Bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - v4Bits);
    const net = Number((BigInt(value) & BigInt(mask)).toString());
    return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join(".")}/${v4Bits}`;
  }
  const groups = expandIpv6(ip.replace(/%.*$/, ""));
  if (groups === null) return null;
  let bits = 0n;
  for (const g of groups) bits = (bits << 16n) | BigInt(g);
  const masked = v6Bits === 0 ? 0n : (bits >> BigInt(128 - v6Bits)) << BigInt(128 - v6Bits);
  return `${masked.toString(16).padStart(32, "0")}/${v6Bits}`;
}

function expandIpv6(ip: string): number[] | null {
  if (!/^[0-9a-fA-F:]+$/.test(ip) || ip.split("::").length > 2) return null;
  const [head = "", tail] = ip.split("::");
  const headParts = head === "" ? [] : head.split(":");
  const tailParts = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - headParts.length - tailParts.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...tailParts];
  if (all.some((g) => g.length === 0 || g.length > 4)) return null;
  return all.map((g) => Number.parseInt(g, 16));
}

import { ipNetwork } from "sessionguard/utils";

/**
 * The network of a client address (`10.1.2.0/24`, an IPv6 /64): a phone
 * moving inside its carrier's block or a DHCP renewal stays in one network.
 * IPv4 /24 takes a fast path (no parsing beyond the last dot) because it runs
 * on every line; other prefixes use the library's `ipNetwork`.
 */
export function networkOf(address: string, ipv4Prefix = 24, ipv6Prefix = 64): string {
  if (ipv4Prefix === 24 && address.indexOf(":") < 0) {
    const dot = address.lastIndexOf(".");
    if (dot > 0) return `${address.slice(0, dot)}.0/24`;
  }
  return ipNetwork(address, ipv4Prefix, ipv6Prefix) ?? address;
}

/**
 * True for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), which
 * browsers treat as secure contexts (SPEC §2.2): `Secure` cookies are sent
 * to them over plain HTTP.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

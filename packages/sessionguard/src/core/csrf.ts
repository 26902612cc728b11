/** Reads one request header by lower-case name. */
export type HeaderReader = (name: string) => string | null | undefined;

/** Outcome of {@link checkRequestOrigin}. */
export type OriginCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/**
 * Cross-site request check for state-changing requests (SPEC L14, ASVS 3.5).
 *
 * Safe methods always pass. For unsafe ones, `Sec-Fetch-Site` decides when a
 * browser sent it (`same-origin` and `none` pass); otherwise `Origin` must
 * name this host or one of `trustedOrigins`. A request with neither header
 * did not come from a modern browser's cross-site form or fetch, so it
 * passes: CSRF needs a victim's browser.
 *
 * @param trustedOrigins - full origins (`https://app.example.com`) allowed to post cross-site
 */
export function checkRequestOrigin(
  method: string,
  header: HeaderReader,
  trustedOrigins: ReadonlySet<string>,
): OriginCheck {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const origin = header("origin") ?? undefined;
  if (origin !== undefined && trustedOrigins.has(origin)) return { ok: true };
  const site = header("sec-fetch-site") ?? undefined;
  if (site !== undefined) {
    if (site === "same-origin" || site === "none") return { ok: true };
    return { ok: false, reason: `cross-origin request (Sec-Fetch-Site: ${site.slice(0, 20)})` };
  }
  if (origin === undefined) return { ok: true };
  const host = header("host") ?? undefined;
  let originHost: string | undefined;
  try {
    originHost = origin === "null" ? undefined : new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (originHost !== undefined && host !== undefined && originHost.toLowerCase() === host.toLowerCase()) {
    return { ok: true };
  }
  return { ok: false, reason: "the Origin header does not match the Host" };
}

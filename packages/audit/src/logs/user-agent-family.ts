import { detach } from "./detach-string.js";

const CRAWLER =
  /bot\b|bot\/|crawler|spider|slurp|bingpreview|facebookexternalhit|mediapartners|curl\/|wget\/|python-requests|go-http-client|java\/|okhttp|headlesschrome/i;

/** True for search-engine crawlers, monitors and scripted clients. */
export function isCrawler(userAgent: string): boolean {
  return CRAWLER.test(userAgent);
}

function browser(ua: string): string | null {
  if (ua.includes("Edg/") || ua.includes("EdgA/") || ua.includes("EdgiOS/")) return "edge";
  if (ua.includes("OPR/") || ua.includes("Opera")) return "opera";
  if (ua.includes("SamsungBrowser/")) return "samsung";
  if (ua.includes("Firefox/") || ua.includes("FxiOS/")) return "firefox";
  if (ua.includes("CriOS/") || ua.includes("Chrome/") || ua.includes("Chromium/")) return "chrome";
  if (ua.includes("Safari/") || ua.includes("AppleWebKit/")) return "safari";
  return null;
}

function os(ua: string): string {
  if (ua.includes("Windows")) return "windows";
  if (ua.includes("Android")) return "android";
  if (ua.includes("iPhone") || ua.includes("iPad") || ua.includes("iPod")) return "ios";
  if (ua.includes("Mac OS X") || ua.includes("Macintosh")) return "macos";
  if (ua.includes("CrOS")) return "chromeos";
  if (ua.includes("Linux")) return "linux";
  return "other";
}

/**
 * The user agent without versions: browser and operating system families
 * (`chrome/windows`), so a browser updating itself does not look like a
 * different client. Agents that are no known browser keep their text with
 * every version number removed (`MyApp/ (build )`).
 */
export function userAgentFamily(userAgent: string): string {
  const b = browser(userAgent);
  if (b !== null) return `${b}/${os(userAgent)}`;
  return userAgent.replace(/\d+(?:[._]\d+)*/g, "").slice(0, 120);
}

/**
 * {@link userAgentFamily} with a bounded cache: a busy log repeats a few
 * thousand agents millions of times. When the cache is full it is cleared
 * (an attacker sending unique agents only costs recomputation, not memory).
 */
export class UserAgentFamilies {
  readonly #cache = new Map<string, string>();
  readonly #families = new Map<string, string>();
  readonly #max: number;

  constructor(max = 20_000) {
    this.#max = max;
  }

  family(userAgent: string): string {
    let family = this.#cache.get(userAgent);
    if (family === undefined) {
      // Families are few: one string per family, shared by every session that keeps it.
      const computed = userAgentFamily(userAgent);
      family = this.#families.get(computed);
      if (family === undefined) {
        family = detach(computed);
        if (this.#families.size >= this.#max) this.#families.clear();
        this.#families.set(family, family);
      }
      if (this.#cache.size >= this.#max) this.#cache.clear();
      this.#cache.set(detach(userAgent), family);
    }
    return family;
  }
}

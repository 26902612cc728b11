import type { AuditConfig } from "../config/load.js";
import type { Progress } from "../engine/progress.js";
import { AuditError } from "../errors.js";
import type { HttpClient } from "../http/client.js";
import { CookieJar, parseSetCookies } from "../http/cookie-jar.js";
import type { TokenSample } from "./index.js";

/** Result of sampling tokens from a live target. */
export interface SamplingResult {
  readonly samples: TokenSample[];
  /** Requests that returned no new token. */
  readonly misses: number;
  /** Why sampling stopped early, if it did (budget, target errors). */
  readonly stoppedEarly: string | null;
}

const CONCURRENCY = 8;

/**
 * Collects `count` fresh session tokens from `tokenSource` (SPEC §2.2): a new
 * client per sample (`jar: "fresh"`) or one client throughout (`"keep"`),
 * within the request budget and rate. Stops early, keeping what it has, when
 * the budget runs out or the target stops issuing tokens.
 */
export async function sampleTokens(
  config: AuditConfig,
  http: HttpClient,
  cookie: string,
  count: number,
  progress: Progress,
): Promise<SamplingResult> {
  const source = config.tokenSource;
  const shared = source.jar === "keep" ? new CookieJar() : null;
  const samples: TokenSample[] = [];
  let misses = 0;
  let stoppedEarly: string | null = null;
  let issued = 0;
  const maxMisses = Math.max(20, Math.ceil(count * 0.2));

  async function worker(): Promise<void> {
    while (stoppedEarly === null && issued < count) {
      issued++;
      try {
        const response = await http.send({
          url: source.url,
          method: source.method,
          jar: shared ?? new CookieJar(),
          followRedirects: false,
          ...(source.form === undefined ? {} : { form: source.form }),
          ...(source.json === undefined ? {} : { json: source.json }),
        });
        const value = parseSetCookies(response.setCookies).find((c) => c.name === cookie && c.value !== "")?.value;
        if (value === undefined) {
          misses++;
          if (misses > maxMisses && samples.length === 0) {
            stoppedEarly = `${source.url} did not issue the ${cookie} cookie in ${misses} responses`;
          }
          continue;
        }
        samples.push({
          value,
          receivedAt: response.receivedAt,
          ...(response.serverDate === undefined ? {} : { serverDate: response.serverDate }),
        });
        progress.step(samples.length, count, "tokens sampled");
      } catch (error) {
        if (error instanceof AuditError && error.code === "ERR_BUDGET") stoppedEarly = error.message;
        else if (error instanceof AuditError && error.code === "ERR_TARGET_UNREACHABLE") {
          misses++;
          if (misses > maxMisses) stoppedEarly = error.message;
        } else throw error;
      }
    }
  }

  const workers = source.jar === "keep" ? 1 : CONCURRENCY;
  await Promise.all(Array.from({ length: workers }, () => worker()));
  // Workers finish out of order; the analysis needs issue order, which receipt time approximates best.
  samples.sort((a, b) => (a.receivedAt ?? 0) - (b.receivedAt ?? 0));
  return { samples, misses, stoppedEarly };
}

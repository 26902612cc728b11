import type { ServerResponse } from "node:http";
import type { ResponseFacts } from "../../core/manager.js";
import { applyResponseFacts, sendRefusal } from "./node-response.js";
import { type closeSession, INTERNAL_ERROR } from "./request-flow.js";

/**
 * Patches `writeHead` and `end` of a Node response so the session is saved
 * before the response completes and its headers are set exactly once.
 * Shared by the `node:http` and Express adapters (Express responses are Node
 * responses); exported from `sessionguard/utils` for adapters of other
 * Node frameworks.
 *
 * - `early` runs when the headers go out before `end` (streaming) and returns the session's headers.
 * - `quick` returns the headers of a request that needs no store I/O, or `null`.
 * - `finish` commits the session; a refusal replaces the response when the headers are still unsent.
 * - `onError` receives failures that cannot be answered any more.
 */
export function hookResponse(
  res: ServerResponse,
  hooks: {
    early: () => ResponseFacts;
    /** Headers for a request that needs no store I/O, or `null`; lets such responses end synchronously. */
    quick: () => ResponseFacts | null;
    finish: () => ReturnType<typeof closeSession>;
    onError: (error: unknown) => void;
  },
): void {
  let applied = false;
  let ending = false;
  const writeHead = res.writeHead;
  const end = res.end;
  res.writeHead = function patchedWriteHead(this: ServerResponse, ...args: unknown[]) {
    if (!applied) {
      applied = true;
      try {
        applyResponseFacts(res, hooks.early());
      } catch (error) {
        hooks.onError(error);
      }
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
  res.end = function patchedEnd(this: ServerResponse, ...args: unknown[]) {
    if (ending) return this;
    ending = true;
    let facts: ResponseFacts | null = null;
    try {
      facts = hooks.quick();
    } catch (error) {
      hooks.onError(error);
    }
    if (facts !== null) {
      if (!applied && !res.headersSent) {
        applied = true;
        applyResponseFacts(res, facts);
      }
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    }
    hooks
      .finish()
      .then((outcome) => {
        if ("refusal" in outcome) {
          if (!res.headersSent) {
            applied = true;
            sendRefusal(res, outcome.refusal, end);
            return;
          }
          // Too late to change the status: report it, so a cookie for an unsaved session is not silent.
          hooks.onError(
            new Error(`the session could not be saved after the headers were sent (${outcome.refusal.code})`),
          );
        } else if (!applied && !res.headersSent) {
          applied = true;
          applyResponseFacts(res, outcome.response);
        }
        (end as (...a: unknown[]) => ServerResponse).apply(res, args);
      })
      .catch((error: unknown) => {
        hooks.onError(error);
        if (!res.headersSent) {
          applied = true;
          sendRefusal(res, INTERNAL_ERROR, end);
        } else {
          res.destroy();
        }
      });
    return this;
  } as ServerResponse["end"];
}

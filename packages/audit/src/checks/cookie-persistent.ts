import { formatDuration } from "../config/duration.js";
import { cookieAttributeCheck } from "./cookie-attribute.js";

/** `cookie-persistent`: the session cookie is stored on disk for longer than `policy.maxIdle`. */
export const cookiePersistent = cookieAttributeCheck("cookie-persistent", ({ cookie }, context) => {
  const maxIdle = context.config.policy.maxIdleMs;
  let lifetime: number | undefined;
  if (cookie.maxAge !== undefined) lifetime = cookie.maxAge * 1000;
  else if (cookie.expires !== undefined) lifetime = cookie.expires.getTime() - Date.now();
  const problem =
    lifetime !== undefined && lifetime > maxIdle
      ? `the session cookie ${cookie.name} persists for ${formatDuration(lifetime)}, longer than the idle limit of ${formatDuration(maxIdle)}`
      : null;
  return {
    problem,
    ok:
      lifetime === undefined
        ? `the session cookie ${cookie.name} is a browser-session cookie (no Max-Age or Expires)`
        : `the session cookie ${cookie.name} lives ${formatDuration(lifetime)}, within the idle limit`,
  };
});

import { cookieAttributeCheck } from "./cookie-attribute.js";

/** `cookie-prefix`: no `__Host-` / `__Secure-` prefix, so a sibling host or plain-HTTP page can plant the cookie. */
export const cookiePrefix = cookieAttributeCheck("cookie-prefix", ({ cookie }) => ({
  problem:
    cookie.name.startsWith("__Host-") || cookie.name.startsWith("__Secure-")
      ? null
      : `the session cookie ${cookie.name} has neither the __Host- nor the __Secure- prefix`,
  ok: `the session cookie ${cookie.name} carries the ${cookie.name.startsWith("__Host-") ? "__Host-" : "__Secure-"} prefix`,
}));

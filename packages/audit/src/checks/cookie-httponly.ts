import { cookieAttributeCheck } from "./cookie-attribute.js";

/** `cookie-httponly`: the session cookie lacks `HttpOnly`, so scripts (and XSS payloads) can read it. */
export const cookieHttpOnly = cookieAttributeCheck("cookie-httponly", ({ cookie }) => ({
  problem: cookie.httpOnly === true ? null : `the session cookie ${cookie.name} is set without the HttpOnly attribute`,
  ok: `the session cookie ${cookie.name} has the HttpOnly attribute`,
}));

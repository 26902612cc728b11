import { cookieAttributeCheck } from "./cookie-attribute.js";

/** `cookie-secure`: the session cookie lacks `Secure`, so browsers send it over plain HTTP. */
export const cookieSecure = cookieAttributeCheck("cookie-secure", ({ cookie }) => ({
  problem: cookie.secure === true ? null : `the session cookie ${cookie.name} is set without the Secure attribute`,
  ok: `the session cookie ${cookie.name} has the Secure attribute`,
}));

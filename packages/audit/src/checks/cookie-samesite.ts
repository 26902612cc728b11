import { cookieAttributeCheck } from "./cookie-attribute.js";

/** `cookie-samesite`: `SameSite` missing, invalid or `None`. */
export const cookieSameSite = cookieAttributeCheck("cookie-samesite", ({ cookie }) => {
  const value = cookie.sameSite?.toLowerCase();
  let problem: string | null = null;
  if (value === undefined) problem = `the session cookie ${cookie.name} has no SameSite attribute`;
  else if (value === "none")
    problem = `the session cookie ${cookie.name} is SameSite=None: browsers send it on cross-site requests`;
  else if (value !== "lax" && value !== "strict")
    problem = `the session cookie ${cookie.name} has an invalid SameSite value`;
  return { problem, ok: `the session cookie ${cookie.name} is SameSite=${cookie.sameSite}` };
});

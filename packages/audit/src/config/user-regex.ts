import { RE2JS } from "re2js";

/**
 * A regular expression from the configuration (`authCheck.loggedIn`,
 * `authCheck.loggedOut`), run by RE2 (the `re2js` port): matching time is
 * linear in the length of the response, so a catastrophic pattern such as
 * `(a+)+$` cannot hold the audit. JavaScript spellings that RE2 writes
 * differently (`\uFFFF`, `(?<name>…)`) are translated first.
 */
export class UserRegex {
  readonly source: string;
  readonly #compiled: RE2JS;

  private constructor(source: string, compiled: RE2JS) {
    this.source = source;
    this.#compiled = compiled;
  }

  /**
   * Compiles a configured pattern (case-sensitive; `^`/`$` anchor the whole
   * body, as a JavaScript `RegExp` without flags; `(?i)` makes it case-insensitive).
   * @throws UnsupportedRegexError when the pattern is not valid RE2 syntax, with the reason and what to write instead
   */
  static compile(source: string): UserRegex {
    try {
      return new UserRegex(source, RE2JS.compile(RE2JS.translateRegExp(source)));
    } catch (error) {
      throw new UnsupportedRegexError(source, explain(source, error));
    }
  }

  /** Whether the pattern matches anywhere in `text` (like `RegExp#test`), in time linear in `text`. */
  test(text: string): boolean {
    return this.#compiled.test(text);
  }
}

/** A configured pattern that RE2 cannot run; `message` names the pattern (shortened) and the fix. */
export class UnsupportedRegexError extends Error {
  /** The offending pattern as configured. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(message);
    this.name = "UnsupportedRegexError";
    this.source = source;
  }
}

/** Longest part of a pattern quoted in a message: a pasted page fragment must not flood the terminal. */
const QUOTED_MAX = 60;

/** The pattern for a message: JSON-quoted and cut at {@link QUOTED_MAX} characters. */
export function quotePattern(source: string): string {
  return JSON.stringify(source.length > QUOTED_MAX ? `${source.slice(0, QUOTED_MAX)}…` : source);
}

/** JavaScript-only constructs, with the RE2 way to say the same thing. */
const JS_ONLY: readonly { readonly test: RegExp; readonly what: string; readonly instead: string }[] = [
  {
    test: /\(\?<[=!]/,
    what: "a lookbehind ((?<= or (?<!)",
    instead: "match the preceding text as part of the pattern, e.g. `Hello, alice` instead of `(?<=Hello, )alice`",
  },
  {
    test: /\(\?[=!]/,
    what: "a lookahead ((?= or (?!)",
    instead: "match the following text as part of the pattern, e.g. `alice</b>` instead of `alice(?=</b>)`",
  },
  {
    test: /\\[1-9]|\\k</,
    what: "a backreference (\\1 or \\k<name>)",
    instead: "write the repeated text out, e.g. `(alice) alice` instead of `(alice) \\1`",
  },
  {
    test: /[*+?}][+]/,
    what: "a possessive or doubled quantifier (such as `a++`)",
    instead: "use a single quantifier (`a+`)",
  },
];

function explain(source: string, error: unknown): string {
  const quoted = quotePattern(source);
  const known = JS_ONLY.find((c) => c.test.test(source));
  if (known !== undefined) {
    return `the regular expression ${quoted} uses ${known.what}, which the linear-time matcher (RE2 syntax) does not support: ${known.instead}`;
  }
  const detail = error instanceof Error ? error.message.replace(/^error parsing regexp:\s*/, "") : "invalid syntax";
  return `the regular expression ${quoted} is not valid RE2 syntax (${detail.slice(0, 120)}): see https://github.com/google/re2/wiki/Syntax — plain text with \`\\\` before special characters always works`;
}

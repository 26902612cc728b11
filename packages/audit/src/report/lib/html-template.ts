/**
 * HTML by tagged template, escaped by default: every interpolated value is
 * escaped unless it is already {@link Html} — built by {@link html} itself or
 * vouched for with {@link trusted}. A forgotten escape is therefore a type
 * error or harmless text, never markup (the report embeds attacker-controlled
 * response excerpts).
 */

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

// Only this module can mint Html: its constructor needs a key nobody else holds.
const MINT = Symbol("html");

/** Markup that is safe to insert as it is. Create it with {@link html}, {@link join} or {@link trusted}. */
export class Html {
  readonly #markup: string;
  /** @internal Use {@link html} or {@link trusted}. */
  constructor(key: typeof MINT, markup: string) {
    if (key !== MINT) throw new TypeError("Html is created by html`…` or trusted()");
    this.#markup = markup;
  }
  /** The markup. */
  toString(): string {
    return this.#markup;
  }
}

/** What a template accepts: text (escaped), numbers, markup, nothing, or lists of these. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.toString();
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(value as string | number);
}

/** Tagged template: the literal parts are markup, every `${value}` is escaped unless it is {@link Html}. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new Html(MINT, out);
}

/** The parts, each escaped unless markup, with `separator` between them. */
export function join(parts: readonly HtmlValue[], separator: Html = html``): Html {
  return new Html(MINT, parts.map(render).join(separator.toString()));
}

/**
 * Markup produced by our own code that must not be escaped: the inline SVG
 * charts (which escape their own labels) and the constant style sheet. Never
 * pass text that came from the report model.
 */
export function trusted(markup: string): Html {
  return new Html(MINT, markup);
}

import { describe, expect, it } from "vitest";
import { hiddenInputs, scanForms, visibleText } from "../src/engine/html-form.js";
import { formBait } from "./helpers/session-target.js";

/** An ordinary page of `bytes`: closed forms with hidden inputs, and text. */
function ordinaryPage(bytes: number): string {
  const unit = '<form action="/search"><input type="hidden" name="q" value="x"></form><p>Some text &amp; more</p>';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/** Fastest of a few runs, in milliseconds: the least disturbed by other work on the machine. */
function fastest(run: () => void, times = 5): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe("the login-form scan", () => {
  it("copies the hidden inputs of the form that posts to the login URL", () => {
    const html = `<form action="/search"><input type="hidden" name="q" value="x"></form>
      <form method="post" action="/login?next=/"><input type="HIDDEN" name="csrf" value="a&amp;b&#x21;">
      <input name="username"><input type=hidden name=nonce value=n1></form>`;
    expect(hiddenInputs(html, "/login")).toEqual({ csrf: "a&b!", nonce: "n1" });
  });

  it("reads forms as a browser does: no nesting, unclosed forms own what follows, scripts are not markup", () => {
    const html = `<script>document.write('<form action="/evil"><input type=hidden name=x value=1>')</script>
      <form action="/login"><input type="hidden" name="a" value="1"><form action="/other"><input type="hidden" name="b" value="2">`;
    const scan = scanForms(html);
    expect(scan.forms).toHaveLength(1);
    expect(hiddenInputs(html, "/login")).toEqual({ a: "1", b: "2" });
    expect(hiddenInputs('<input type="hidden" name="t" value="v">', "/login")).toEqual({ t: "v" });
  });

  it("keeps a field named __proto__ an ordinary field", () => {
    const fields = hiddenInputs(
      '<form action="/login"><input type=hidden name="__proto__" value="p"></form>',
      "/login",
    );
    expect(Object.keys(fields)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect({ ...fields, username: "alice" }).toHaveProperty("username", "alice");
  });

  it("a 1 MiB page of repeated <form>/<input> is scanned in linear time", () => {
    // Issue 13: the regex scan held one call for minutes on such a page (25 s for this one), since
    // it read the rest of the page once per form. Linear work costs the same per byte whatever the
    // markup, and doubles with the page; the bounds are generous, with a floor for timer noise.
    const full = formBait(1024 * 1024);
    const half = formBait(512 * 1024);
    const ordinary = ordinaryPage(1024 * 1024);
    expect(hiddenInputs(full, "/login")).toEqual({ csrf: "tok" });
    hiddenInputs(ordinary, "/login");
    const bait = fastest(() => hiddenInputs(full, "/login"));
    const usual = fastest(() => hiddenInputs(ordinary, "/login"));
    const halfBait = fastest(() => hiddenInputs(half, "/login"));
    expect(bait, `bait ${bait.toFixed(1)} ms, ordinary page ${usual.toFixed(1)} ms`).toBeLessThan(3 * usual + 20);
    expect(bait, `full ${bait.toFixed(1)} ms, half ${halfBait.toFixed(1)} ms`).toBeLessThan(4 * halfBait + 20);
  });
});

describe("visible text for evidence excerpts", () => {
  it("drops tags, scripts and styles and decodes entities", () => {
    expect(visibleText("<p>Hi &amp; <script>var a='<b>x</b>'</script><style>p{}</style>there</p>")).toBe("Hi & there");
  });

  it("is linear on unclosed <script> bait", () => {
    const bait = (bytes: number): string => "<script>".repeat(bytes / 8);
    const small = fastest(() => visibleText(bait(128 * 1024)));
    const large = fastest(() => visibleText(bait(1024 * 1024)));
    expect(large, `eighth ${small.toFixed(1)} ms, full ${large.toFixed(1)} ms`).toBeLessThan(16 * small + 20);
  });
});

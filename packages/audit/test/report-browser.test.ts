/**
 * Opens the HTML report in a real browser: the CSP must not block our own
 * inline styles, nothing may be fetched, no script may run, the SVG charts
 * must render. Needs Debian's chromium at /usr/bin/chromium; skipped with a
 * notice without it, except in CI, where its absence fails the run.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../src/report/html.js";
import type { Report } from "../src/report/model.js";
import { hostileReport, SCRIPT } from "./fixtures/hostile-report.js";
import { emptyReport, sampleReport } from "./fixtures/sample-report.js";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const inCi = (process.env.CI ?? "") !== "" && process.env.CI !== "false";
// Where the full-page screenshot of the sample report goes, for a human to look at.
const SCREENSHOT = join(tmpdir(), "sessionguard-report.png");

if (!available && !inCi) {
  console.warn(
    `[report-browser] ${CHROMIUM} not found: skipping the headless-Chromium report tests (install Debian's chromium; with CI set they fail instead).`,
  );
}

interface Opened {
  readonly page: Page;
  readonly problems: string[];
  readonly dialogs: string[];
}

describe.skipIf(!available && !inCi)("HTML report in headless Chromium", () => {
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), "sessionguard-report-"));

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is missing and CI is set: install Debian's chromium package`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(report: Report, name: string): Promise<Opened> {
    if (browser === undefined) throw new Error("browser not started");
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml(report));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const dialogs: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
    // The report itself is the only request a self-contained page may make.
    page.on("request", (r) => {
      if (r.url() !== url) problems.push(`unexpected request: ${r.url()}`);
    });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: "load" });
    return { page, problems, dialogs };
  }

  it("renders the sample report cleanly: no errors, no requests, charts and a heading per finding", async () => {
    const report = sampleReport();
    const { page, problems } = await open(report, "sample");
    expect(await page.title()).toBe("Session management report — http://127.0.0.1:8080");
    expect(await page.locator("svg.chart").count()).toBe(3);
    expect(await page.locator("svg.chart rect.bar").count()).toBeGreaterThan(0);
    expect(await page.locator("svg.chart rect.cell").count()).toBeGreaterThan(0);
    for (const box of await page
      .locator("svg.chart")
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { width: number; height: number }))) {
      expect(box.width).toBeGreaterThan(300);
      expect(box.height).toBeGreaterThan(100);
    }
    const headings = await page.locator("article.finding h3").allTextContents();
    expect(headings).toHaveLength(report.findings.length);
    for (const f of report.findings) expect(headings.some((h) => h.includes(f.title))).toBe(true);
    expect(await page.locator("#results tbody tr").count()).toBe(28);
    // The inline stylesheet applied (a CSP that blocked it would leave the default black-on-white badge).
    const badge = await page
      .locator(".badge.sev-critical")
      .first()
      .evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(badge).toBe("rgb(127, 29, 29)");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    console.info(`[report-browser] screenshot: ${SCREENSHOT}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps hostile evidence inert: no script runs, no element is injected, the payload shows as text", async () => {
    const { page, problems, dialogs } = await open(hostileReport(), "hostile");
    expect(await page.locator("script, img, iframe, object, embed").count()).toBe(0);
    expect(await page.locator("[onerror], [onload]").count()).toBe(0);
    expect(await page.locator("article.finding").first().textContent()).toContain(SCRIPT);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("renders a clean audit without charts or findings", async () => {
    const { page, problems } = await open(emptyReport(), "empty");
    expect(await page.locator("article.finding").count()).toBe(0);
    expect(await page.locator("svg").count()).toBe(0);
    expect(await page.locator("#findings").textContent()).toContain("No findings");
    expect(problems).toEqual([]);
    await page.close();
  });
});

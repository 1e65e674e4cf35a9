// Weight and speed on a phone: every respondent page, with an empty cache, is at most 20 KB
// transferred for its HTML, CSS and JavaScript together; no web fonts and no requests to anyone
// else; the stylesheet and script have versioned names and year-long cache headers; and
// everything is compressed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { andWait, answerPage, launch, shippedSurveys, startServer, stayLocal } from "./harness.mjs";

const BUDGET = 20 * 1024;
let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

for (const { id: survey } of shippedSurveys()) {
  test(`${survey}: every respondent page is within ${BUDGET / 1024} KB, with no fonts or third parties`, async () => {
    const probe = await browser.newPage();
    await probe.goto(`${server.base}/s/${survey}/who`);
    const versions = await probe.locator("input[name=version]").count();
    await probe.close();
    const pages = new Map(); // page name -> HTML bytes on the wire
    const assets = new Map(); // url -> bytes on the wire
    const problems = [];
    for (let v = 0; v < versions; v++) {
      const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
      await stayLocal(context);
      const page = await context.newPage();
      const seen = [];
      page.on("requestfinished", (req) => seen.push(req));
      const record = async (name) => {
        await page.waitForLoadState("load");
        for (const req of seen.splice(0)) {
          const url = new URL(req.url());
          const res = await req.response();
          const headers = await res.allHeaders();
          const { responseBodySize, responseHeadersSize } = await req.sizes();
          const bytes = responseBodySize + responseHeadersSize;
          if (url.hostname !== "127.0.0.1") problems.push(`${name}: a request to another site: ${url}`);
          if (req.resourceType() === "font" || /\.(woff2?|ttf|otf)$/.test(url.pathname)) problems.push(`${name}: a web font: ${url}`);
          if (res.status() >= 300 && res.status() < 400) continue;
          if (!/^(gzip|br|zstd)$/.test(headers["content-encoding"] || "")) problems.push(`${name}: ${url.pathname} is not compressed`);
          if (req.resourceType() === "document") {
            pages.set(name, bytes);
          } else if (["stylesheet", "script"].includes(req.resourceType())) {
            if (!/^\/static\/[a-z]+\.[0-9a-f]{10}\.(css|js)$/.test(url.pathname)) problems.push(`${name}: ${url.pathname} has no version in its name`);
            if (!/max-age=31536000/.test(headers["cache-control"] || "") || !/immutable/.test(headers["cache-control"] || "")) {
              problems.push(`${name}: ${url.pathname} is not cached for a year: ${headers["cache-control"]}`);
            }
            if (bytes > 0 && !assets.has(url.pathname)) assets.set(url.pathname, bytes);
          } else {
            problems.push(`${name}: an unexpected ${req.resourceType()} request: ${url.pathname}`);
          }
        }
      };
      if (v === 0) {
        await page.goto(`${server.base}/s/${survey}`);
        await record("start");
      }
      await page.goto(`${server.base}/s/${survey}/who`);
      await record("who");
      await page.locator(`label[for=version-${v}]`).click();
      await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
      for (let i = 0; !page.url().endsWith("/check"); i++) {
        assert.ok(i < 80);
        await record(`v${v} ${new URL(page.url()).pathname}`);
        await answerPage(page);
        await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
      }
      await record(`v${v} check`);
      await andWait(page, () => page.getByRole("button", { name: "Send my answers" }).click());
      await record(`v${v} done`);
      await context.close();
    }
    const assetBytes = [...assets.values()].reduce((a, b) => a + b, 0);
    assert.equal(assets.size, 2, `one stylesheet and one script: ${[...assets.keys()]}`);
    const report = [...pages].map(([name, html]) => ({ name, html, total: html + assetBytes }));
    const heaviest = report.reduce((a, b) => (b.total > a.total ? b : a));
    console.log(`${survey}: CSS and JS ${(assetBytes / 1024).toFixed(1)} KB (${[...assets].map(([u, b]) => `${u} ${(b / 1024).toFixed(1)} KB`).join(", ")}); ` +
      `heaviest page ${heaviest.name}: ${(heaviest.html / 1024).toFixed(1)} KB HTML, ${(heaviest.total / 1024).toFixed(1)} KB in all with an empty cache`);
    for (const r of report) if (r.total > BUDGET) problems.push(`${r.name}: ${(r.total / 1024).toFixed(1)} KB with an empty cache`);
    assert.deepEqual(problems, []);
  });
}

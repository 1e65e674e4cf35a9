// A person completes every shipped version of every survey on a 320px-wide phone, by tapping,
// with JavaScript on and off; screenshots of every page are kept to look at.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { andWait, answerPage, launch, noSidewaysScroll, shippedSurveys, shotPath, startServer, stayLocal } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const surveys = shippedSurveys().map((s) => s.id);

async function complete(survey, versionIndex, javaScriptEnabled) {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, javaScriptEnabled });
  await stayLocal(context);
  const page = await context.newPage();
  const label = `${survey}-v${versionIndex}-${javaScriptEnabled ? "js" : "nojs"}`;
  let n = 0;
  const shot = async (name) => {
    assert.ok(await noSidewaysScroll(page), `no sideways scrolling on ${page.url()}`);
    await page.screenshot({ path: shotPath(label, `${String(n++).padStart(2, "0")}-${name}.png`), fullPage: true });
  };
  await page.goto(`${server.base}/s/${survey}`);
  await shot("start");
  await andWait(page, () => page.getByRole("link", { name: /start now/i }).click());
  await shot("who");
  await page.locator(`label[for=version-${versionIndex}]`).click();
  await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
  for (let i = 0; !page.url().endsWith("/check"); i++) {
    assert.ok(i < 60, "the survey ends");
    assert.equal(await page.locator("h1").count(), 1, `one h1 on ${page.url()}`);
    await shot(`question-${i}`);
    await answerPage(page);
    await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
  }
  await shot("check");
  await andWait(page, () => page.getByRole("button", { name: "Send my answers" }).click());
  await page.getByText("Your answers have been sent").waitFor();
  await shot("done");
  const code = (await page.locator("#reference-code").textContent()).trim();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await context.close();
}

for (const survey of surveys) {
  test(`every version of ${survey} can be completed on a 320px phone`, async () => {
    const probe = await browser.newPage();
    await probe.goto(`${server.base}/s/${survey}/who`);
    const count = await probe.locator("input[name=version]").count();
    await probe.close();
    assert.ok(count > 0);
    for (let v = 0; v < count; v++) await complete(survey, v, true);
  });

  test(`${survey} can be completed with JavaScript off`, async () => {
    await complete(survey, 0, false);
  });
}

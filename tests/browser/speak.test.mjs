// "Read this question aloud" on easy-read pages: shown only where the browser can speak, it reads
// the question and its choices with the browser's own speech synthesis, by tap or keyboard.
// Headless Chromium has no audio, so speechSynthesis.speak is replaced to record what it is given.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { andWait, launch, shippedSurveys, startServer, stayLocal } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function firstPage(options, survey, v) {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, hasTouch: true, ...options.context });
  await stayLocal(context);
  if (options.init) await context.addInitScript(options.init);
  const page = await context.newPage();
  await page.goto(`${server.base}/s/${survey}/who`);
  await page.locator(`label[for=version-${v}]`).click();
  await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
  return { context, page };
}

const recordSpeech = () => {
  window.__spoken = [];
  if (window.speechSynthesis) {
    speechSynthesis.speak = (u) => { window.__spoken.push({ text: u.text, lang: u.lang }); };
    speechSynthesis.cancel = () => {};
  }
};

for (const { id: survey } of shippedSurveys()) {
  test(`${survey}: easy-read pages read the question aloud, by tap and by keyboard`, async () => {
    const probe = await browser.newPage();
    await probe.goto(`${server.base}/s/${survey}/who`);
    const versions = await probe.locator("input[name=version]").count();
    await probe.close();
    let easy = 0;
    for (let v = 0; v < versions; v++) {
      const { context, page } = await firstPage({ init: recordSpeech }, survey, v);
      const button = page.getByRole("button", { name: "Read this question aloud" });
      if ((await page.locator("#speak").count()) === 0) { await context.close(); continue; }
      easy++;
      await button.waitFor({ state: "visible" });
      const question = (await page.locator("h1").textContent()).trim();
      const labels = (await page.locator(".choice label").allTextContents()).map((t) => t.trim());
      await button.tap();
      let spoken = await page.evaluate(() => window.__spoken);
      assert.equal(spoken.length, 1);
      assert.ok(spoken[0].text.includes(question), `reads the question: ${spoken[0].text}`);
      for (const l of labels) assert.ok(spoken[0].text.includes(l), `reads the choice ${l}: ${spoken[0].text}`);
      assert.equal(spoken[0].lang, "en-GB");
      await button.focus();
      await page.keyboard.press("Enter");
      await page.keyboard.press("Space");
      spoken = await page.evaluate(() => window.__spoken);
      assert.equal(spoken.length, 3, "Enter and Space work too");
      // Other pages of the same version have the button too.
      await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
      if (!page.url().endsWith("/check")) assert.equal(await page.locator("#speak").isVisible(), true);
      await context.close();

      // Hidden where the browser cannot speak, and without JavaScript.
      const mute = await firstPage({ init: () => { delete window.SpeechSynthesisUtterance; } }, survey, v);
      assert.equal(await mute.page.locator("#speak").isVisible(), false, "hidden without speech synthesis");
      await mute.context.close();
      const nojs = await firstPage({ context: { javaScriptEnabled: false } }, survey, v);
      assert.equal(await nojs.page.locator("#speak").isVisible(), false, "hidden without JavaScript");
      await nojs.context.close();
    }
    assert.ok(easy > 0, "an easy-read version was found");
  });
}

// "Leave this page": by keyboard and by tap, it goes through Heard's /exit (which clears the
// session) to a neutral site, and with JavaScript on the survey leaves nothing in the tab's
// history: the whole survey used one entry, and exit replaced it. The browser never leaves
// loopback: /exit's redirect is checked, not followed (see stayLocal).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { andWait, answerPage, launch, shippedSurveys, startServer, stayLocal } from "./harness.mjs";

const NEUTRAL = "https://www.bbc.co.uk/weather";
const BEFORE = "https://www.example.org/before";
const survey = shippedSurveys()[0].id;
let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** Walks into the survey from another site: start, who, three question pages, one with a mistake. */
async function walkIn(page) {
  await page.goto(BEFORE);
  await page.goto(`${server.base}/s/${survey}`);
  const entries = await page.evaluate(() => history.length);
  await andWait(page, () => page.getByRole("link", { name: /start now/i }).click());
  await andWait(page, () => page.getByRole("button", { name: "Continue" }).click()); // nothing chosen: errors
  await page.locator("label[for=version-0]").click();
  await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
  for (let i = 0; i < 3 && !page.url().endsWith("/check"); i++) {
    await answerPage(page);
    await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
  }
  await andWait(page, () => page.getByRole("link", { name: "Back" }).click());
  assert.match(page.url(), /\/s\/[^/]+\/(p\/\d+|who)$/, "still in the survey");
  return entries;
}

async function leaveAndCheck(page, context, exits, leave, jsOn) {
  const entries = await walkIn(page);
  const during = await page.evaluate(() => history.length);
  if (jsOn) assert.equal(during, entries, "the survey keeps one history entry");
  await Promise.all([page.waitForURL(`${server.base}/exit`), leave(page)]);
  await page.getByText("Neutral site").waitFor();
  assert.equal(exits.length, 1, "left through Heard's /exit");
  assert.equal(exits[0].status, 303);
  assert.equal(exits[0].headers.location, NEUTRAL);
  assert.match(exits[0].headers["set-cookie"] || "", /heard_draft=;/);
  const cookies = (await context.cookies()).map((c) => c.name);
  assert.ok(!cookies.includes("heard_draft"), `session cleared: ${cookies}`);
  if (jsOn) {
    assert.equal(await page.evaluate(() => history.length), entries, "exit replaced the survey's entry");
    await page.goBack();
    assert.equal(page.url(), BEFORE, "Back goes to the page before the survey, not to the survey");
  }
}

test("Leave this page works by keyboard and leaves no survey page in history", async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const exits = await stayLocal(context);
  const page = await context.newPage();
  await leaveAndCheck(page, context, exits, async (p) => {
    await p.evaluate(() => document.activeElement?.blur());
    for (let i = 0; i < 5; i++) {
      await p.keyboard.press("Tab");
      if (await p.evaluate(() => document.activeElement.id === "exit")) return p.keyboard.press("Enter");
    }
    throw new Error("Leave this page is not among the first Tab stops");
  }, true);
  await context.close();
});

test("Leave this page works by tap on a touch phone and leaves no survey page in history", async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, hasTouch: true, isMobile: true });
  const exits = await stayLocal(context);
  const page = await context.newPage();
  await leaveAndCheck(page, context, exits, (p) => p.locator("#exit").tap(), true);
  await context.close();
});

test("Leave this page works without JavaScript", async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, hasTouch: true, javaScriptEnabled: false });
  const exits = await stayLocal(context);
  const page = await context.newPage();
  await leaveAndCheck(page, context, exits, (p) => p.locator("#exit").tap(), false);
  await context.close();
});

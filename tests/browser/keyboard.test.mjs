// A survey completed with the keyboard alone (Tab, Space, Enter and typing), on a phone-sized
// screen with JavaScript on: every stop of the Tab key shows where focus is and is not hidden
// behind the sticky header, and after a failed submit focus lands on the error summary.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { andWait, focusIsVisible, focusNotObscured, launch, shippedSurveys, startServer, stayLocal } from "./harness.mjs";

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "", id: el.id, text: (el.textContent || "").trim(),
      inputmode: el.getAttribute("inputmode") || "", limit: (document.getElementById(`${el.id}-limit`)?.textContent || "") };
  });
}

/** Presses Tab until `want` says yes, checking that every stop on the way shows focus. */
async function tabUntil(page, want, stops) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    const where = `${page.url()} focus on <${f.tag} ${f.id || f.name}> "${f.text.slice(0, 40)}"`;
    assert.ok(await focusIsVisible(page), `focus is visible: ${where}`);
    assert.ok(await focusNotObscured(page), `focus is not hidden: ${where}`);
    stops.count++;
    if (await want(f)) return f;
  }
  throw new Error(`never reached the element on ${page.url()}`);
}

for (const { id: survey } of shippedSurveys()) {
  test(`${survey} can be completed with the keyboard alone, focus always visible`, async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    await stayLocal(context);
    const page = await context.newPage();
    const stops = { count: 0 };
    let errorSummaries = 0;
    await page.goto(`${server.base}/s/${survey}`);
    await tabUntil(page, (f) => f.tag === "a" && /start now/i.test(f.text), stops);
    await andWait(page, () => page.keyboard.press("Enter"));
    assert.match(page.url(), /\/who$/);

    // "Who is filling this in?": Continue with nothing chosen, then choose with Space.
    await tabUntil(page, (f) => f.tag === "button" && f.text === "Continue", stops);
    await andWait(page, () => page.keyboard.press("Enter"));
    assert.equal((await focused(page)).id, "error-summary", "focus on the error summary");
    assert.ok(await focusIsVisible(page), "the focused error summary shows focus");
    errorSummaries++;
    await tabUntil(page, (f) => f.name === "version", stops);
    await page.keyboard.press("Space");
    await tabUntil(page, (f) => f.tag === "button" && f.text === "Continue", stops);
    await andWait(page, () => page.keyboard.press("Enter"));

    let mistakeMade = false;
    for (let i = 0; !page.url().endsWith("/check"); i++) {
      assert.ok(i < 80, "the survey ends");
      const answered = new Set();
      let mistake = false;
      await tabUntil(page, async (f) => {
        if ((f.type === "radio" || f.type === "checkbox") && !answered.has(f.name) && !/prefer/.test(f.id)) {
          answered.add(f.name);
          await page.keyboard.press("Space");
        } else if (f.tag === "textarea" || (f.tag === "input" && f.type === "text")) {
          const max = /(\d[\d,]*)/.exec(f.limit);
          if (!mistakeMade && max) {
            // One character over the limit: a mistake the page must point out.
            await page.keyboard.insertText("a".repeat(Number(max[1].replace(/,/g, "")) + 1));
            mistake = mistakeMade = true;
          } else {
            await page.keyboard.type(f.inputmode === "numeric" ? "3" : "More time with my family.");
          }
        }
        return f.tag === "button" && f.text === "Continue";
      }, stops);
      await andWait(page, () => page.keyboard.press("Enter"));
      if (mistake) {
        assert.equal((await focused(page)).id, "error-summary", `focus on the error summary on ${page.url()}`);
        assert.ok(await focusIsVisible(page), "the focused error summary shows focus");
        errorSummaries++;
        // Follow the summary's link to the field with Enter, fix it and go on.
        await tabUntil(page, (f) => f.tag === "a" && f.text.length > 0 && f.id === "", stops);
        await page.keyboard.press("Enter");
        const f = await focused(page);
        assert.ok(f.tag === "textarea" || f.tag === "input", `the error link moves focus to the field, not ${f.tag}`);
        assert.ok(await focusIsVisible(page) && await focusNotObscured(page), "the field with the mistake is in view with focus shown");
        await page.keyboard.press("ControlOrMeta+A");
        await page.keyboard.type("More time with my family.");
        await tabUntil(page, (f) => f.tag === "button" && f.text === "Continue", stops);
        await andWait(page, () => page.keyboard.press("Enter"));
      }
    }
    await tabUntil(page, (f) => f.tag === "button" && f.text === "Send my answers", stops);
    await andWait(page, () => page.keyboard.press("Enter"));
    await page.getByText("Your answers have been sent").waitFor();
    assert.ok(mistakeMade, "a page with a text limit was found to make a mistake on");
    assert.equal(errorSummaries, 2);
    assert.ok(stops.count > 20, `${stops.count} focus stops checked`);
    await context.close();
  });
}

// Every respondent page of every shipped version, in its normal and error states, checked with
// axe-core against the WCAG 2.2 A and AA rules at 320x640 (a small phone) and 1280x800, with no
// sideways scrolling and nothing cut off, also with text at 200%. A screenshot of each is kept.
// Workspace (review team) pages join through `workspacePages` below as they land.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { andWait, answerPage, axeViolations, launch, layoutProblems, repo, shippedSurveys, shotPath, startServer, stayLocal } from "./harness.mjs";

const WIDTHS = [{ width: 320, height: 640 }, { width: 1280, height: 800 }];
const surveys = shippedSurveys();
const closed = path.join(repo, "tests/fixtures/closed/closed-survey.toml");

/** Pages of the review team's workspace, as { name, path, login? }: none yet. */
const workspacePages = [];

let server, browser;
before(async () => {
  server = await startServer([...surveys.map((s) => s.file), closed]);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.stop(); });

function checker(survey, width) {
  const problems = [];
  let n = 0;
  async function inspect(page, name) {
    const where = `${name} (${page.url().replace(server.base, "")}) at ${width}px`;
    for (const v of await axeViolations(page)) {
      problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((x) => x.target.join(" ") + " " + (x.failureSummary || "").replace(/\s+/g, " ")).join("\n    ")}`);
    }
    for (const p of await layoutProblems(page)) problems.push(`${where}: ${p}`);
    const file = `${String(n++).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-")}`;
    await page.screenshot({ path: shotPath(survey, `pages-${width}`, `${file}.png`), fullPage: true });
    // Text resized to 200%: everything is sized in rem, so this is what the browser's text-size
    // setting does.
    await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
    for (const p of await layoutProblems(page)) problems.push(`${where} with text at 200%: ${p}`);
    if (width === 320) await page.screenshot({ path: shotPath(survey, `pages-${width}-text200`, `${file}.png`), fullPage: true });
    await page.evaluate(() => { document.documentElement.style.fontSize = ""; });
  }
  return { problems, inspect };
}

async function newPage(size) {
  const context = await browser.newContext({ viewport: size });
  await stayLocal(context);
  return { context, page: await context.newPage() };
}

const click = (page, locator) => andWait(page, () => locator.click());

/** Puts a mistake in every text and number field: one character too many, or not a number. */
async function makeMistakes(page) {
  let made = 0;
  for (const t of await page.locator('input[type=text][name^="q-"], textarea[name^="q-"]').all()) {
    if ((await t.getAttribute("inputmode")) === "numeric") {
      await t.fill("lots");
      made++;
      continue;
    }
    const id = await t.getAttribute("id");
    const limit = await page.locator(`#${id}-limit`).textContent().catch(() => null);
    const max = limit && /(\d[\d,]*)/.exec(limit);
    if (max) {
      await t.fill("a".repeat(Number(max[1].replace(/,/g, "")) + 1));
      made++;
    }
  }
  return made;
}

for (const { id: survey } of surveys) {
  for (const size of WIDTHS) {
    test(`${survey}: every respondent page passes axe (WCAG 2.2 AA) at ${size.width}px, also with text at 200%`, async () => {
      const { problems, inspect } = checker(survey, size.width);
      let { context, page } = await newPage(size);

      await page.goto(`${server.base}/`);
      await inspect(page, "index");
      await page.goto(`${server.base}/s/${survey}`);
      await inspect(page, "start");
      await page.locator("#code").fill("not a code");
      await click(page, page.getByRole("button", { name: "Carry on" }));
      await page.locator("#error-summary").waitFor();
      await inspect(page, "start-error");
      await page.goto(`${server.base}/s/${survey}/who`);
      await inspect(page, "who");
      await click(page, page.getByRole("button", { name: "Continue" }));
      await page.locator("#error-summary").waitFor();
      await inspect(page, "who-error");
      const versions = await page.locator("input[name=version]").count();
      await context.close();

      for (let v = 0; v < versions; v++) {
        ({ context, page } = await newPage(size));
        await page.goto(`${server.base}/s/${survey}/who`);
        await page.locator(`label[for=version-${v}]`).click();
        await click(page, page.getByRole("button", { name: "Continue" }));
        for (let i = 0; !page.url().endsWith("/check"); i++) {
          assert.ok(i < 80, "the survey ends");
          await inspect(page, `v${v}-page-${i}`);
          if (v === 0 && i === 0) {
            const url = page.url();
            await click(page, page.getByRole("button", { name: "Save and come back later" }));
            await page.locator("#resume-code").waitFor();
            await inspect(page, `v${v}-saved`);
            await page.goto(url);
          }
          if (await makeMistakes(page)) {
            await click(page, page.getByRole("button", { name: "Continue" }));
            await page.locator("#error-summary").waitFor({ timeout: 5000 }).catch(async () => {
              assert.fail(`no error summary after mistakes, at ${page.url()}: ${(await page.locator("main").textContent()).slice(0, 300)}`);
            });
            await inspect(page, `v${v}-page-${i}-error`);
          }
          await answerPage(page);
          await click(page, page.getByRole("button", { name: "Continue" }));
        }
        await inspect(page, `v${v}-check`);
        await click(page, page.getByRole("button", { name: "Send my answers" }));
        await page.locator("#reference-code").waitFor();
        await inspect(page, `v${v}-done`);
        if (v === 0) {
          const code = (await page.locator("#reference-code").textContent()).trim();
          await click(page, page.getByRole("link", { name: "delete your answers" }));
          await inspect(page, "delete");
          await page.locator("#code").fill("AAAA-BBBB-CCCC-DDDD");
          await click(page, page.getByRole("button", { name: "Find my answers" }));
          await page.locator("#error-summary").waitFor();
          await inspect(page, "delete-error");
          await page.locator("#code").fill(code);
          await click(page, page.getByRole("button", { name: "Find my answers" }));
          await inspect(page, "delete-confirm");
          await click(page, page.getByRole("button", { name: "Yes, delete my answers" }));
          await page.getByText("Your answers have been deleted").waitFor();
          await inspect(page, "deleted");
        }
        await context.close();
      }

      // Error pages: not found, a form from another browser (403), a closed survey (410).
      ({ context, page } = await newPage(size));
      assert.equal((await page.goto(`${server.base}/s/no-such-survey`)).status(), 404);
      await inspect(page, "error-404");
      await page.goto(`${server.base}/s/${survey}/who`);
      await page.locator("input[name=csrf]").evaluate((i) => { i.value = "forged"; });
      await page.locator("label[for=version-0]").click();
      await click(page, page.getByRole("button", { name: "Continue" }));
      await page.getByRole("heading", { level: 1 }).waitFor();
      await inspect(page, "error-403");
      await page.goto(`${server.base}/s/closed-survey`);
      await inspect(page, "closed-start");
      assert.equal((await page.goto(`${server.base}/s/closed-survey/who`)).status(), 410);
      await inspect(page, "error-410");
      for (const w of workspacePages) {
        await page.goto(`${server.base}${w.path}`);
        await inspect(page, `workspace-${w.name}`);
      }
      await context.close();

      assert.deepEqual(problems, [], `accessibility problems:\n${problems.join("\n")}`);
    });
  }
}

test("the axe check finds a violation when there is one", async () => {
  const { context, page } = await newPage(WIDTHS[0]);
  await page.goto(`${server.base}/s/${surveys[0].id}`);
  await page.evaluate(() => {
    const img = document.createElement("img");
    img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
    document.querySelector("main").append(img);
  });
  const violations = await axeViolations(page);
  assert.ok(violations.some((v) => v.id === "image-alt"), JSON.stringify(violations.map((v) => v.id)));
  await context.close();
});

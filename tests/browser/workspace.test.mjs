// The review team's workspace in a real browser: each page of each role checked with axe-core
// (WCAG 2.2 A and AA) at 320px and 1280px, laid out without sideways scrolling (also with text at
// 200%), signed into with the keyboard alone, and screenshotted for a person to look at.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { PASSWORD, andWait, answerPage, axeViolations, launch, layoutProblems, repo, shotPath, startServer, stayLocal } from "./harness.mjs";

const WIDTHS = [{ width: 1280, height: 800 }, { width: 320, height: 640 }];
const survey = "voices";
const answers = [
  "my social worker keeps changing and i have to start again",
  "i want to see my brother and sister more often",
  "help with school work and a tutor for maths",
  "more money when you leave care for rent and food",
  "the same social worker for longer please",
  "more contact with my siblings at weekends",
  "school should understand what care is like",
  "help paying bills when i turn 18",
  "my mums boyfriend hurts me when she is out, call me on 07700 900123",
  // A firm phrase the learned layer is all but sure is ordinary: set aside once it is read.
  "maths homework is killing me, too many worksheets",
];

let server, browser;
before(async () => {
  server = await startServer([path.join(repo, "tests/fixtures/workspace/voices.toml")],
    { users: [["ada", "admin"], ["ana", "analyst"], ["sal", "safeguarding"], ["cam", "commissioner"]] });
  browser = await launch();
  // Young people answer first, through the survey itself.
  for (const text of answers) {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await stayLocal(context);
    const page = await context.newPage();
    await page.goto(`${server.base}/s/${survey}/who`);
    await page.locator("label[for=version-0]").click();
    await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
    for (let i = 0; i < 10 && !(await page.getByRole("button", { name: "Send my answers" }).count()); i++) {
      await answerPage(page);
      if (await page.locator("textarea").count()) await page.locator("textarea").fill(text);
      await andWait(page, () => page.getByRole("button", { name: "Continue" }).click());
    }
    await andWait(page, () => page.getByRole("button", { name: "Send my answers" }).click());
    await page.locator("#reference-code").waitFor();
    await context.close();
  }
});
after(async () => { await browser?.close(); await server?.stop(); });

async function signedIn(name, size) {
  const context = await browser.newContext({ viewport: size });
  await stayLocal(context);
  const page = await context.newPage();
  await page.goto(`${server.base}/admin/signin`);
  await page.locator("#name").fill(name);
  await page.locator("#password").fill(PASSWORD);
  await andWait(page, () => page.getByRole("button", { name: "Sign in" }).click());
  assert.match(page.url(), /\/admin$/);
  return { context, page };
}

for (const size of WIDTHS) {
  test(`every workspace page passes axe (WCAG 2.2 AA) at ${size.width}px, also with text at 200%`, async () => {
    const problems = [];
    let n = 0;
    async function inspect(page, name) {
      const where = `${name} (${page.url().replace(server.base, "")}) at ${size.width}px`;
      for (const v of await axeViolations(page)) {
        problems.push(`${where}: axe ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((x) => x.target.join(" ") + " " + (x.failureSummary || "").replace(/\s+/g, " ")).join("\n    ")}`);
      }
      for (const p of await layoutProblems(page)) problems.push(`${where}: ${p}`);
      await page.screenshot({ path: shotPath("workspace", `pages-${size.width}`, `${String(n++).padStart(2, "0")}-${name}.png`), fullPage: true });
      await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
      for (const p of await layoutProblems(page)) problems.push(`${where} with text at 200%: ${p}`);
      await page.evaluate(() => { document.documentElement.style.fontSize = ""; });
    }

    // Signing in, and a wrong password.
    let context = await browser.newContext({ viewport: size });
    let page = await context.newPage();
    await page.goto(`${server.base}/admin/signin`);
    await inspect(page, "signin");
    await page.locator("#name").fill("ana");
    await page.locator("#password").fill("not the password");
    await andWait(page, () => page.getByRole("button", { name: "Sign in" }).click());
    await inspect(page, "signin-error");
    await context.close();

    // The analyst: dashboard, themes (run in the background), a theme, the runs.
    ({ context, page } = await signedIn("ana", size));
    await inspect(page, "home-analyst");
    await page.goto(`${server.base}/admin/surveys/${survey}`);
    await page.locator("details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    await inspect(page, "dashboard");
    await page.goto(`${server.base}/admin/surveys/${survey}/themes`);
    await inspect(page, "questions");
    await page.goto(`${server.base}/admin/surveys/${survey}/themes/better`);
    await inspect(page, "themes-before");
    // The form is folded away once themes exist (the second width finds the first width's run).
    await page.locator("details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    await page.locator("#k").fill("3");
    await andWait(page, () => page.getByRole("button", { name: "Run the analysis" }).click());
    await inspect(page, "run");
    for (let i = 0; i < 100 && await page.getByText("Running.").count(); i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    assert.ok(await page.getByText("Finished").count(), "the run finished");
    await andWait(page, () => page.getByRole("link", { name: "See the themes" }).click());
    await inspect(page, "themes");
    assert.equal(await page.getByText("07700").count(), 0, "analysts see no phone number");
    await andWait(page, () => page.locator(".theme h3 a").first().click());
    await page.locator("details").evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    await inspect(page, "theme");
    await page.goto(`${server.base}/admin/surveys/${survey}/themes/better/runs`);
    await inspect(page, "runs");
    // Answers from paper: the upload page, a file chosen with a mistake and the report.
    await page.goto(`${server.base}/admin/surveys/${survey}/import`);
    await inspect(page, "import");
    await andWait(page, () => page.getByRole("button", { name: "Import answers" }).click());
    await inspect(page, "import-error");
    await page.locator("#file").setInputFiles({
      name: "paper.csv", mimeType: "text/csv",
      buffer: Buffer.from("version,setting,better\nyoung,foster,more say in my plans\nyoung,a castle,hello\n"),
    });
    await page.locator("label[for=channel-paper]").click();
    await andWait(page, () => page.getByRole("button", { name: "Import answers" }).click());
    assert.ok(await page.getByText(/imported, .* refused/).count(), "the report is shown");
    await inspect(page, "import-report");
    // The dashboard again, now with answers from two channels: the channel counts and breakdown.
    await page.goto(`${server.base}/admin/surveys/${survey}`);
    assert.ok(await page.getByText("Paper").count(), "the dashboard counts paper answers");
    await inspect(page, "dashboard-channels");
    // Exports: the page, a mistake, and the printable report, which is printed to A4 PDF.
    await page.goto(`${server.base}/admin/surveys/${survey}/export`);
    assert.equal(await page.locator("#format-csv, #format-xlsx-rows, #format-json-rows").count(), 3, "row-level data for analysts");
    await inspect(page, "export");
    await page.locator("#threshold").fill("0");
    await andWait(page, () => page.getByRole("button", { name: "Export" }).click());
    await inspect(page, "export-error");
    await page.locator("label[for=format-html]").click();
    await page.locator("#threshold").fill("5");
    await andWait(page, () => page.getByRole("button", { name: "Export" }).click());
    assert.ok(await page.getByRole("heading", { name: "Method" }).count(), "the report is shown");
    await inspect(page, "report");
    if (size.width === 1280) {
      const pdf = await page.pdf({ path: shotPath("workspace", "report.pdf"), format: "A4", printBackground: true });
      assert.ok(pdf.length > 5000, "the report prints");
    }
    await context.close();

    // The safeguarding lead: the queue and one flag, with an error and then a decision.
    ({ context, page } = await signedIn("sal", size));
    await inspect(page, "home-safeguarding");
    await page.goto(`${server.base}/admin/safeguarding`);
    await inspect(page, "queue");
    // The background reading sets the homework answer aside within seconds of its submission.
    for (let i = 0; i < 60; i++) {
      await page.goto(`${server.base}/admin/safeguarding?status=set_aside`);
      if (await page.locator(".flag").count()) break;
      await page.waitForTimeout(500);
    }
    assert.match(await page.locator(".flag .trigger").first().innerText(), /set aside: the learned layer was all but sure/);
    await inspect(page, "queue-set-aside");
    await page.goto(`${server.base}/admin/safeguarding`);
    await andWait(page, () => page.locator(".flag h2 a").first().click());
    await inspect(page, "flag");
    await andWait(page, () => page.getByRole("button", { name: "Save decision" }).click());
    await inspect(page, "flag-error");
    await context.close();

    // The administrator: the audit log. The commissioner: the export page with summaries only,
    // and a page outside their role.
    ({ context, page } = await signedIn("ada", size));
    await page.goto(`${server.base}/admin/audit`);
    await inspect(page, "audit");
    await context.close();
    ({ context, page } = await signedIn("cam", size));
    await page.goto(`${server.base}/admin/surveys/${survey}/export`);
    assert.equal(await page.locator("#format-csv, #format-xlsx-rows, #format-json-rows").count(), 0, "no row-level data for commissioners");
    assert.equal(await page.locator("input[name=format]").count(), 3, "the summaries");
    await inspect(page, "export-commissioner");
    assert.equal((await page.goto(`${server.base}/admin/safeguarding`)).status(), 403);
    await inspect(page, "not-your-role");
    await context.close();

    assert.deepEqual(problems, [], `accessibility problems:\n${problems.join("\n")}`);
  });
}

test("signing in and reaching the safeguarding queue works with the keyboard alone", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/admin/signin`);
  await page.keyboard.press("Tab"); // skip link
  await page.keyboard.press("Tab"); // brand
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "name");
  await page.keyboard.type("sal");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await andWait(page, () => page.keyboard.press("Enter"));
  assert.match(page.url(), /\/admin$/);
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement.textContent.trim() === "Safeguarding")) break;
  }
  await andWait(page, () => page.keyboard.press("Enter"));
  assert.match(page.url(), /\/admin\/safeguarding$/);
  await context.close();
});

// Shared by the browser tests: a real `heard serve` on a free loopback port with a fresh database,
// and Debian's Chromium, headless, driven by playwright-core.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const repo = path.resolve(import.meta.dirname, "../..");
const bin = process.env.HEARD_BIN || path.join(repo, "target/debug/heard");
export const shotsDir = process.env.HEARD_SCREENSHOTS || path.join(import.meta.dirname, "screenshots");

/** The shipped surveys (surveys/*.toml) as {file, id}; until one is written, the every-type fixture. */
export function shippedSurveys() {
  const dir = path.join(repo, "surveys");
  let files = fs.readdirSync(dir).filter((f) => f.endsWith(".toml")).map((f) => path.join(dir, f));
  if (files.length === 0) files = [path.join(repo, "tests/fixtures/surveys/every-type.toml")];
  return files.map((file) => ({ file, id: /^id\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(file, "utf8"))[1] }));
}

/** The password of the workspace accounts made by `startServer`'s `users` option. */
export const PASSWORD = "a long enough password";

export async function startServer(surveys = shippedSurveys().map((s) => s.file), { users = [] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heard-browser-"));
  for (const [name, role] of users) {
    const r = spawnSync(bin, ["user", "--db", path.join(dir, "heard.db"), "add", name, "--role", role, "--password-stdin"],
      { input: PASSWORD + "\n", encoding: "utf8" });
    if (r.status !== 0) throw new Error(`heard user add ${name}: ${r.stderr}`);
  }
  const child = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", path.join(dir, "heard.db"), ...surveys], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const base = await new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error("heard did not start: " + err)), 30000);
    child.stderr.on("data", (d) => {
      err += d;
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on("exit", (code) => reject(new Error(`heard exited ${code}: ${err}`)));
  });
  return {
    base,
    dir,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

export function shotPath(...parts) {
  const file = path.join(shotsDir, ...parts);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/** Chooses an answer for every question on the page, as a person tapping labels would. */
export async function answerPage(page) {
  const seen = new Set();
  for (const input of await page.locator('input[type=radio][name^="q-"], input[type=checkbox][name^="q-"]').all()) {
    const name = await input.getAttribute("name");
    const value = await input.getAttribute("value");
    if (seen.has(name) || value === "prefer_not_to_say") continue;
    seen.add(name);
    await page.locator(`label[for="${await input.getAttribute("id")}"]`).click();
  }
  for (const t of await page.locator('input[type=text][name^="q-"], textarea[name^="q-"]').all()) {
    await t.fill((await t.getAttribute("inputmode")) === "numeric" ? "2" : "I would like to see my brother more often.");
  }
}

/** The ids of the versions offered on the "who is filling this in" page. */
export async function versionCount(page, base, survey) {
  await page.goto(`${base}/s/${survey}/who`);
  return page.locator("input[name=version]").count();
}

export async function noSidewaysScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/**
 * Keeps the browser on loopback: any other address gets a stub page, never the network. Heard's
 * /exit redirects to a real site, and a browser follows a redirect without asking the route, so
 * /exit is fetched here without following it, kept in the returned list for tests to check (its
 * status, Location and cookies), and answered with a stub page in place of the neutral site.
 */
export async function stayLocal(context) {
  const exits = [];
  await context.route((url) => !/^https?:\/\/127\.0\.0\.1[:/]/.test(url.href), (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Elsewhere</title><p>Not Heard</p>" }));
  await context.route((url) => /^http:\/\/127\.0\.0\.1:\d+\/exit$/.test(url.href), async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    exits.push({ status: response.status(), headers: response.headers() });
    await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Neutral site</title><p>Neutral site</p>" });
  });
  return exits;
}

/** True if the focused element (or, for the hidden native radio or checkbox, its drawn box) shows focus. */
export async function focusIsVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const shows = (st) => (st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2) || st.boxShadow !== "none";
    if (el.matches("input[type=radio], input[type=checkbox]")) {
      const label = document.querySelector(`label[for="${el.id}"]`);
      return !!label && shows(getComputedStyle(label, "::before"));
    }
    const st = getComputedStyle(el);
    return shows(st) || st.backgroundColor === "rgb(255, 221, 0)";
  });
}

/** True unless the focused element is hidden, for example behind the sticky header (WCAG 2.4.11). */
export async function focusNotObscured(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const choice = el.closest(".choice");
    const target = el.matches("input[type=radio], input[type=checkbox]") ? document.querySelector(`label[for="${el.id}"]`) : el;
    const r = target.getBoundingClientRect();
    const x = r.left + Math.min(r.width / 2, 20);
    const y = r.top + Math.min(r.height / 2, 10);
    if (y < 0 || y >= window.innerHeight) return false;
    const hit = document.elementFromPoint(x, y);
    return !!hit && (target.contains(hit) || el.contains(hit) || (choice !== null && choice.contains(hit)));
  });
}

/**
 * Does `action` (a click or key press that sends a form or follows a link) and waits for the next
 * page to be shown, whether the browser loaded it (no JavaScript, or a redirect replaced with
 * location.replace) or heard.js put it in place of this one (a page with errors).
 */
export async function andWait(page, action) {
  const mark = await page.evaluate(() => (document.body.dataset.heardMark = String(Math.random())));
  await action();
  // Polled from here, not with waitForFunction, which can miss a navigation when JavaScript is off.
  const deadline = Date.now() + 15000;
  for (;;) {
    const shown = await page.evaluate(
      (m) => document.readyState === "complete" && !!document.body && document.body.dataset.heardMark !== m,
      mark,
    ).catch(() => false); // the old page went away mid-question: ask the new one
    if (shown) return;
    if (Date.now() > deadline) throw new Error(`the next page did not come, on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// axe-core as @axe-core/playwright ships it, injected and run directly: AxeBuilder's extra page
// per run made each check four times slower.
const fromAxePlaywright = createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright"));
const AXE_SOURCE = fs.readFileSync(fromAxePlaywright.resolve("axe-core/axe.min.js"), "utf8");

/** The page's axe violations for the WCAG 2.2 A and AA rules. */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }))), TAGS);
}

/** Layout problems at the current text size: sideways scrolling, or text cut off or off-screen. */
export async function layoutProblems(page) {
  return page.evaluate(() => {
    const out = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw) out.push(`scrolls sideways: ${document.documentElement.scrollWidth}px in ${vw}px`);
    // Data tables may scroll inside their own region (a reflow exception of WCAG 1.4.10).
    const skip = (el) => el.closest(".visually-hidden, .skip, [hidden], head, script, style, .table-wrap > table");
    for (const el of document.body.querySelectorAll("*")) {
      if (skip(el)) continue;
      const st = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const what = `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""}`;
      if (r.right > vw + 1 || r.left < -1) out.push(`${what} is off-screen (${Math.round(r.left)}..${Math.round(r.right)} of ${vw})`);
      if (/hidden|clip/.test(st.overflowX + st.overflowY) && !el.matches("input, textarea")
        && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) out.push(`${what} cuts off its content`);
    }
    return out;
  });
}


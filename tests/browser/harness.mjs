// Shared by the browser tests: a real `heard serve` on a free loopback port with a fresh database,
// and Debian's Chromium, headless, driven by playwright-core.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const repo = path.resolve(import.meta.dirname, "../..");
const bin = process.env.HEARD_BIN || path.join(repo, "target/debug/heard");
export const shotsDir = process.env.HEARD_SCREENSHOTS || path.join(import.meta.dirname, "screenshots");

export async function startServer(surveys = [path.join(repo, "surveys")]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "heard-browser-"));
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

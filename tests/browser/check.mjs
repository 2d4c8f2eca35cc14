// Opens each HTML file given on the command line in Debian's Chromium, headless,
// once for all of them, and prints what a reader's browser would meet, as JSON:
//
//   { "<file>": { "1280": {violations, scrollWidth, clientWidth, actions},
//                 "375": {...}, "forced": {...}, "requests": [urls], "errors": [] } }
//
// violations are axe-core's, by rule id with the offending elements. requests
// actions are the action tables' display and, per action, whether its RAG
// cell comes first and which cells reach off-screen. requests
// are every URL the page asked for besides itself: the page must fetch nothing,
// so each is recorded and refused. tests/test_render_html_browser.py runs this.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import axe from "axe-core";
import puppeteer from "puppeteer-core";

const executablePath = process.env.WFS_CHROMIUM || "/usr/bin/chromium";
const files = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "wfs-chromium-"));

const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  userDataDir: profile,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-dev-shm-usage",
  ],
});

async function measure(page) {
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const found = await axe.run(document, {
      resultTypes: ["violations"],
      runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    });
    return found.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
    }));
  });
  const size = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  // Each action's row: how its tables are laid out, where its RAG cell sits
  // and which of its cells reach past the window's edges.
  const actions = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const tables = [...document.querySelectorAll("table.actions")];
    const rows = tables.flatMap((t) => [...t.querySelectorAll("tbody tr")])
      .filter((row) => row.querySelector("td.rag"));
    return {
      display: [...new Set(tables.map((t) => getComputedStyle(t).display))],
      rows: rows.map((row) => {
        const cells = [...row.querySelectorAll("td")];
        const rag = row.querySelector("td.rag").getBoundingClientRect();
        return {
          ragFirst: cells.every((c) => c.classList.contains("rag")
            || c.getBoundingClientRect().top >= rag.bottom - 1),
          offscreen: cells.filter((c) => {
            const box = c.getBoundingClientRect();
            return box.left < 0 || box.right > width + 0.5;
          }).map((c) => c.dataset.label || c.className),
        };
      }),
    };
  });
  return { violations: results, ...size, actions };
}

const report = {};
try {
  for (const file of files) {
    const url = pathToFileURL(path.resolve(file)).href;
    const page = await browser.newPage();
    const requests = [];
    const errors = [];
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const asked = request.url();
      if (asked === url) {
        request.continue();
      } else {
        if (!asked.startsWith("data:")) requests.push(asked);
        request.abort();
      }
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    const entry = { requests, errors };
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: "load" });
    await page.evaluate(axe.source);
    entry["1280"] = await measure(page);
    await page.setViewport({ width: 375, height: 812 });
    entry["375"] = await measure(page);
    // Windows high contrast: the page must still pass with forced colours.
    // (Puppeteer does not know this media feature by name; the protocol does.)
    const cdp = await page.createCDPSession();
    await cdp.send("Emulation.setEmulatedMedia",
      { features: [{ name: "forced-colors", value: "active" }] });
    entry.forced = await measure(page);
    if (process.env.WFS_SCREENSHOTS) {
      await cdp.send("Emulation.setEmulatedMedia", { features: [] });
      await page.screenshot({ path: `${file}.375.png`, fullPage: true });
    }
    await page.close();
    report[file] = entry;
  }
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");

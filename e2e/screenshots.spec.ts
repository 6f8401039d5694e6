// The screenshots in docs/screenshots: the main pages with real data, at 1280 px (desktop) and 390 px
// (phone), in the light and the dark theme, as `<page>-<width>-<theme>.png` (the viewport, not the
// whole page, to keep them small; squeezed by pngquant when it is installed). Not part of the test
// run: `npm run screenshots` (after `npm run build`) takes them. SCREENSHOTS_LOCALE=zh-CN takes the
// same pages (and the prices) in that language, as `<page>-<width>-<theme>-zh-CN.png`.
import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { hydrated, makeSite } from "./every-page";
import { resultRows } from "./helpers";

const out = process.env.SCREENSHOTS;
const locale = process.env.SCREENSHOTS_LOCALE;
test.skip(!out, "takes the docs' screenshots: SCREENSHOTS=docs/screenshots (npm run screenshots)");

test("the main pages at 1280 and 390 px, light and dark", async ({ browser, baseURL }) => {
  const maker = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const site = await makeSite(maker, "Shots");
  const cookies = await maker.context().cookies();
  await maker.close();

  const pages: Record<string, string> = {
    overview: "/overview",
    batches: "/batches",
    files: "/files",
    batch: site.urls["/batches/[id]"],
    "batch-result": site.urls["/batches/[id]"],
    launch: site.urls["/batches/new"],
    problems: site.extra["/files/[id] with problems"],
    compare: site.urls["/compare"],
    ...(locale ? { prices: "/prices" } : {}),
    "sign-in": "/sign-in",
  };
  // The language as a signed-out browser's choice (the bb_locale cookie), kept after signing out.
  const languageCookie = locale ? [{ name: "bb_locale", value: locale, url: baseURL! }] : [];
  for (const colorScheme of ["light", "dark"] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const context = await browser.newContext({ viewport, colorScheme });
      await context.addCookies([...cookies, ...languageCookie]);
      const page = await context.newPage();
      for (const [name, url] of Object.entries(pages)) {
        if (name === "sign-in") {
          await context.clearCookies();
          await context.addCookies(languageCookie);
        }
        await page.goto(url);
        await hydrated(page);
        if (name === "batch-result") {
          await resultRows(page).first().click();
          await expect(page.getByTestId("markdown").first()).toBeVisible();
        }
        // The list, not the upload form above it.
        if (name === "files") await page.getByRole("table").scrollIntoViewIfNeeded();
        await page.waitForTimeout(400); // recharts measures its container after the first paint
        await page.screenshot({ path: path.join(out!, `${name}-${viewport.width}-${colorScheme}${locale ? `-${locale}` : ""}.png`) });
      }
      await context.close();
    }
  }
  const shots = fs.readdirSync(out!).filter((f) => /-(1280|390)-(light|dark)(-zh-CN)?\.png$/.test(f)).map((f) => path.join(out!, f));
  spawnSync("pngquant", ["--force", "--skip-if-larger", "--ext", ".png", "--quality", "70-90", ...shots]);
});

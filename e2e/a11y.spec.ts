// Accessibility, in Chromium against the real server: axe-core on every page (with real data, signed
// in and out) in the light and the dark theme (the system's colour scheme emulated, the theme left
// on System), and on the states a page opens into (the mobile menu, the notifications, a result's
// drawer): no serious or critical violation. Then keyboard alone: focus is visible on what Tab
// reaches, the upload drop zone included, and the sign-in form and the launch form work with no mouse.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { hydrated, makeSite, signedOutRoutes, type Site } from "./every-page";
import { resultRows } from "./helpers";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/**
 * Until no transition or finite animation runs: a drawer or menu fading in (or back from its busy
 * dimming) is checked in its final colours, not mid-fade.
 */
function still(page: Page) {
  return page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().endTime === Infinity));
}

/** The serious and critical violations on the page as it is now, one line each with where. */
async function violations(page: Page, what: string): Promise<string[]> {
  // A page may still refresh itself once (the time zone reporter); run again on the refreshed page.
  const analyze = async () => {
    await still(page);
    return new AxeBuilder({ page }).withTags(WCAG).analyze();
  };
  const { violations } = await analyze().catch(async (e: Error) => {
    if (!/context was destroyed/.test(e.message)) throw e;
    await page.waitForLoadState("load");
    await hydrated(page);
    return analyze();
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.slice(0, 4).map((n) => `${what}: ${v.id} (${v.impact}) at ${n.target.join(" ")}: ${(n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 220)}`),
    );
}

test.describe.serial("accessibility", () => {
  let site: Site;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    // axe-core runs only in pages of a context made with browser.newContext().
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    site = await makeSite(page, "Access");
  });
  test.afterAll(() => page.context().close());

  for (const colorScheme of ["light", "dark"] as const) {
    test(`every page in the ${colorScheme} theme: no serious or critical violation`, async ({ browser }) => {
      await page.emulateMedia({ colorScheme });
      const guest = await (await browser.newContext({ colorScheme })).newPage();
      const found: string[] = [];
      for (const [route, url] of [...Object.entries(site.urls), ...Object.entries(site.extra)]) {
        const p = signedOutRoutes.includes(route) ? guest : page;
        await p.goto(url);
        await hydrated(p);
        found.push(...(await violations(p, route)));
        if (route === "/batches/[id]") {
          await resultRows(p).first().click();
          await expect(p.getByTestId("markdown").first()).toBeVisible();
          // The drawer shows the table's row, dimmed and busy, until the whole result has come.
          await expect(p.getByRole("dialog").locator('[aria-busy="true"]')).toHaveCount(0);
          found.push(...(await violations(p, `${route}, a result's drawer`)));
        }
      }
      await guest.context().close();

      // The notifications and, on a phone, the menu.
      await page.goto("/overview");
      await hydrated(page);
      await page.getByRole("button", { name: /^Notifications/ }).click();
      await expect(page.getByRole("dialog", { name: "Notifications" })).toBeVisible();
      found.push(...(await violations(page, "the notifications")));
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await hydrated(page);
      await page.getByRole("button", { name: "Menu" }).click();
      found.push(...(await violations(page, "the phone's menu")));
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(found).toEqual([]);
    });
  }

  test("focus is visible on everything Tab reaches, the upload drop zone included", async () => {
    await page.emulateMedia({ colorScheme: "light" });
    const unseen: string[] = [];
    for (const url of ["/files", site.urls["/batches/new"], site.urls["/batches/[id]"], "/providers", "/prices"]) {
      await page.goto(url);
      await hydrated(page);
      await page.locator("body").focus();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        const f = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          // What shows the focus: an outline or a ring (box-shadow) on the element, or on the label
          // that draws a hidden input, that is not there once focus leaves.
          const shows = [el, el.closest("label")].filter((e): e is HTMLElement => !!e);
          const look = () => shows.map((e) => { const c = getComputedStyle(e); return `${c.outlineStyle} ${c.outlineWidth} ${c.boxShadow} ${c.borderColor}`; }).join("|");
          const focused = look();
          el.blur();
          const blurred = look();
          el.focus();
          return { what: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 40)}"`, shown: focused !== blurred };
        });
        if (!f) break;
        if (!f.shown) unseen.push(`${url}: ${f.what}`);
      }
    }
    expect(unseen, "focused with nothing to show it").toEqual([]);
    // The drop zone itself shows the focus of its (visually hidden) file input.
    await page.goto("/files");
    await hydrated(page);
    await page.locator("#file-input").focus();
    const zone = page.locator("#file-input").locator("xpath=ancestor::*[self::label or self::div][1]");
    expect(await zone.evaluate((el) => getComputedStyle(el).outlineStyle !== "none" || getComputedStyle(el).boxShadow !== "none")).toBe(true);
  });

  test("the sign-in form and the launch form work by keyboard alone", async ({ browser }) => {
    const guest = await browser.newPage();
    await guest.goto("/sign-in");
    await hydrated(guest);
    await guest.keyboard.press("Tab");
    // Tab to the email field, then type, Tab, type, Enter.
    while (!(await guest.getByLabel("Email").evaluate((el) => el === document.activeElement))) await guest.keyboard.press("Tab");
    await guest.keyboard.type(site.account.email);
    await guest.keyboard.press("Tab");
    await expect(guest.getByLabel("Password")).toBeFocused();
    await guest.keyboard.type(site.account.password);
    await guest.keyboard.press("Enter");
    await expect(guest).toHaveURL(/\/overview$/);
    await guest.close();

    await page.goto(site.urls["/batches/new"]);
    await hydrated(page);
    await page.getByLabel("Name", { exact: true }).focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("Launched by keyboard");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/(batches\/(?!new)[^/?]+|jobs\/[^/?]+)$/);
    await expect(page.getByText("Launched by keyboard").first()).toBeVisible();
  });
});

// The layout on a phone and on a desktop, in Chromium against the real server:
// - at 390 x 844 no page scrolls sideways (every page, with real data, signed in and out): a table
//   too wide for the screen scrolls inside its card, never the page;
// - below lg the navigation is behind a Menu button: it opens by keyboard, focus goes into it and the
//   page behind is inert, Escape closes it and gives focus back, a link followed closes it;
// - on a phone the batches list's filters fold under "More filters", the search showing;
// - on a phone the batches and files lists are a card per row, every figure on the screen and
//   named, with no sideways scroll; from md they are tables with their header row;
// - on a desktop the dark sidebar holds its column down a long page.
import { expect, test, type Page } from "@playwright/test";
import { hydrated, makeSite, signedOutRoutes, type Site } from "./every-page";

const phone = { width: 390, height: 844 };

/** How far the page scrolls sideways, and the elements that stick out past the screen's right edge. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    const width = root.clientWidth;
    const out = [...document.querySelectorAll("body *")]
      // Not what a box that scrolls or clips sideways holds: that box is what the page may not exceed.
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
      .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") ?? ""}"> right ${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: root.scrollWidth, clientWidth: width, out };
  });
}

test.describe.serial("responsive layout", () => {
  let site: Site;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    site = await makeSite(page, "Responsive");
  });
  test.afterAll(() => page.close());

  test("no page scrolls sideways at 390 px", async ({ browser }) => {
    await page.setViewportSize(phone);
    const guest = await browser.newPage({ viewport: phone });
    const wide: string[] = [];
    for (const [route, url] of [...Object.entries(site.urls), ...Object.entries(site.extra)]) {
      const p = signedOutRoutes.includes(route) ? guest : page;
      await p.goto(url);
      await hydrated(p);
      const o = await overflow(p);
      if (o.scrollWidth > o.clientWidth) wide.push(`${route} (${url}): ${o.scrollWidth} px wide in ${o.clientWidth}\n    ${o.out.join("\n    ")}`);
    }
    await guest.close();
    expect(wide, "pages wider than the phone").toEqual([]);
  });

  test("below lg the navigation is a menu, usable by keyboard", async () => {
    await page.setViewportSize(phone);
    await page.goto("/batches");
    await hydrated(page);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeHidden();
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(nav).toBeVisible();
    await expect(page.getByRole("button", { name: "Close" })).toHaveAttribute("aria-expanded", "true");
    // Tab goes on into the panel (the team switcher first); the page behind cannot take focus.
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Team")).toBeFocused();
    await expect(page.locator("main")).toHaveAttribute("inert", "");
    expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(phone.width);
    await page.keyboard.press("Escape");
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();
    await expect(page.locator("main")).not.toHaveAttribute("inert");

    // Following a link closes the menu.
    await menu.click();
    await nav.getByRole("link", { name: "Files" }).click();
    await expect(page).toHaveURL(/\/files$/);
    await expect(nav).toBeHidden();
    await expect(page.getByRole("heading", { level: 1, name: "Files" })).toBeVisible();
  });

  test("on a phone the batches list shows its search first, the other filters a tap away", async () => {
    await page.setViewportSize(phone);
    await page.goto("/batches");
    await hydrated(page);
    const filters = page.getByRole("search", { name: "Filter batches" });
    await expect(filters.getByLabel("Search by name")).toBeVisible();
    await expect(filters.getByLabel("Status")).toBeHidden();
    await filters.getByRole("button", { name: "More filters" }).click();
    await expect(filters.getByRole("button", { name: "Fewer filters" })).toHaveAttribute("aria-expanded", "true");
    await filters.getByLabel("Status").selectOption("completed");
    await expect(page).toHaveURL(/\/batches\?status=completed$/);
    // A filter in use keeps them open; collapsed, the button counts it.
    await filters.getByRole("button", { name: "Fewer filters" }).click();
    await expect(filters.getByRole("button", { name: "More filters (1 in use)" })).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect(filters.getByLabel("Status")).toBeVisible();
    await expect(filters.getByRole("button", { name: /More filters/ })).toBeHidden();
  });

  test("on a phone the batches and files lists are cards with every figure on the screen, named; on a desktop tables", async () => {
    for (const [url, name, labels] of [
      // What makeSite made: a job of two batches, and a valid file.
      ["/batches", "Responsive job with a long name", ["Tokens", "Cost", "Duration"]],
      ["/files", "Responsive-3.jsonl", ["Requests", "Size"]],
    ] as const) {
      await page.setViewportSize(phone);
      await page.goto(url);
      await hydrated(page);
      const row = page.getByRole("row").filter({ hasText: name }).first();
      await expect(row).toBeVisible();
      await expect(page.getByRole("columnheader").first()).toBeHidden();
      const cells = await row.getByRole("cell").evaluateAll((tds) =>
        tds.map((td) => ({ right: td.getBoundingClientRect().right, label: td.getAttribute("data-label"), shown: getComputedStyle(td, "::before").content })),
      );
      for (const c of cells) expect(c.right, url).toBeLessThanOrEqual(phone.width);
      // The figures' names, shown by CSS on the card: not part of the cell's text.
      expect(cells.filter((c) => c.label).map((c) => [c.label, c.shown])).toEqual(labels.map((l) => [l, `"${l}"`]));
      const scroller = await page.getByRole("table").evaluate((t) => ({ scroll: t.parentElement!.scrollWidth, width: t.parentElement!.clientWidth }));
      expect(scroller.scroll, url).toBeLessThanOrEqual(scroller.width);
      await page.setViewportSize({ width: 1280, height: 900 });
      await expect(page.getByRole("columnheader").first()).toBeVisible();
      expect(await row.getByRole("cell").evaluateAll((tds) => tds.map((td) => getComputedStyle(td, "::before").content))).not.toContain(`"${labels[0]}"`);
    }
  });

  test("on a desktop the sidebar holds its column down a long page", async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    for (const url of [site.urls["/batches/[id]"], site.urls["/batches/new"]]) {
      await page.goto(url);
      await hydrated(page);
      await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
      await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
      // Read once the page has settled, to the pixel: at the foot of a page whose height is fractional the
      // sticky column may sit a fraction of a pixel up (the launch form: y = -0.34).
      const aside = page.locator("aside").first();
      await expect
        .poll(async () => {
          const box = await aside.boundingBox();
          return box && { x: box.x, y: Math.abs(box.y) < 1 ? 0 : box.y, height: Math.round(box.height) };
        }, { message: url })
        .toEqual({ x: 0, y: 0, height: 720 });
    }
  });
});

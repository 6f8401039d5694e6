// The language and theme: picked from the browser on a first visit, switched from the sign-in page
// or the shell, and remembered for the user on every browser they sign in on.
import { expect, test } from "@playwright/test";
import { newAccount, signIn, signUp } from "./helpers";

test("a Chinese browser gets Chinese, an English one English", async ({ browser }) => {
  for (const [locale, lang] of [["zh-CN", "zh-CN"], ["en-US", "en"]] as const) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await expect(page.getByRole("combobox", { name: lang === "en" ? "Language" : "语言" })).toHaveValue(lang);
    await context.close();
  }
});

test("the language and theme follow the user to another browser", async ({ browser }) => {
  const who = newAccount("Prefs");
  const first = await browser.newContext({ locale: "en-US", colorScheme: "light" });
  const page = await first.newPage();
  await signUp(page, who);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.locator("html")).not.toHaveClass(/dark/);

  await page.getByRole("combobox", { name: "Theme" }).selectOption("dark");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await first.close();

  // A new browser that asks for English: the user's choice wins once they are signed in.
  const second = await browser.newContext({ locale: "en-US", colorScheme: "light" });
  const other = await second.newPage();
  await other.goto("/sign-in");
  await expect(other.locator("html")).toHaveAttribute("lang", "en");
  await signIn(other, who);
  await expect(other.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(other.locator("html")).toHaveClass(/dark/);
  await second.close();
});

test("a signed-out visitor switches the language on the sign-in page", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.goto("/sign-up");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await context.close();
});

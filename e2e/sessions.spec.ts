// Sessions that end, in a real browser: one account signed in in two browsers (two contexts); "Sign
// out everywhere" in one sends the other to sign-in at its next page, and a password change in one
// signs the other out while the first stays in. And the sign-in limit as a person meets it: the
// eleventh try on an account is refused with when to try again, even with the right password, and
// Auth.js's own endpoint says the same with 429, whatever X-Forwarded-For the client makes up.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { fillSignIn, newAccount, signIn, signUp, type Account } from "./helpers";

async function browserOf(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext();
  return ctx.newPage();
}

/** The same account signed in in two browsers. */
async function twoBrowsers(browser: Browser, name: string): Promise<{ a: Account; laptop: Page; phone: Page }> {
  const a = newAccount(name);
  const laptop = await browserOf(browser);
  await signUp(laptop, a);
  const phone = await browserOf(browser);
  await signIn(phone, a);
  return { a, laptop, phone };
}

test("sign out everywhere ends this browser's session and the other's", async ({ browser }) => {
  const { laptop, phone } = await twoBrowsers(browser, "Everywhere");
  await laptop.getByRole("link", { name: "Account", exact: true }).click();
  await expect(laptop.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  await laptop.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(laptop).toHaveURL(/\/sign-in$/);
  await laptop.goto("/batches");
  await expect(laptop).toHaveURL(/\/sign-in$/);

  // The other browser still holds its cookie, and is refused at its next navigation.
  await phone.goto("/files");
  await expect(phone).toHaveURL(/\/sign-in$/);
  await expect(phone.getByRole("heading", { name: "Sign in to Batchboard" })).toBeVisible();
  await laptop.context().close();
  await phone.context().close();
});

test("a password change keeps this browser signed in, signs the other out, and the new password works", async ({ browser }) => {
  const { a, laptop, phone } = await twoBrowsers(browser, "Changer");
  const newPassword = `${a.password}-new`;
  await laptop.goto("/account");

  // Mistakes say why, on their field.
  await laptop.getByLabel("Current password").fill("not-my-password-1");
  await laptop.getByLabel("New password", { exact: true }).fill(newPassword);
  await laptop.getByLabel("Repeat the new password").fill(newPassword);
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByRole("alert").filter({ hasText: "current password" })).toHaveText("That is not your current password.");
  await laptop.getByLabel("Current password").fill(a.password);
  await laptop.getByLabel("New password", { exact: true }).fill(newPassword);
  await laptop.getByLabel("Repeat the new password").fill(`${newPassword}x`);
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByRole("alert").filter({ hasText: "differ" })).toHaveText("The two new passwords differ.");

  await laptop.getByLabel("Current password").fill(a.password);
  await laptop.getByLabel("New password", { exact: true }).fill(newPassword);
  await laptop.getByLabel("Repeat the new password").fill(newPassword);
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByRole("status").filter({ hasText: "Password changed" })).toHaveText("Password changed. Every other browser and device is signed out.");
  await expect(laptop.getByLabel("Current password")).toHaveValue(""); // no password left on the page

  // This browser is still in.
  await laptop.goto("/batches");
  await expect(laptop.getByRole("heading", { level: 1, name: "Batches" })).toBeVisible();

  // The other one is out; the old password no longer works, the new one does.
  await phone.goto("/batches");
  await expect(phone).toHaveURL(/\/sign-in$/);
  await fillSignIn(phone, a.email, a.password);
  await expect(phone.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await fillSignIn(phone, a.email, newPassword);
  await expect(phone).toHaveURL(/\/overview$/);
  await laptop.context().close();
  await phone.context().close();
});

test("the 11th sign-in on an account is refused with when to try again, even with the right password, on the form and on Auth.js's endpoint", async ({
  browser,
  request,
}) => {
  const a = newAccount("Guessed");
  const page = await browserOf(browser);
  await signUp(page, a);
  await page.context().clearCookies();

  await page.goto("/sign-in");
  // One answer at a time: the form is emptied when an answer is shown (after its response arrives),
  // which must not be the next try's password.
  const attempt = async (password: string) => {
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/sign-in"), fillSignIn(page, a.email, password)]);
    await expect(page.getByLabel("Password")).toHaveValue("");
  };
  for (let i = 0; i < 10; i++) {
    await attempt(`Wrong-guess-${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  }
  await attempt(a.password);
  await expect(page.getByRole("alert").filter({ hasText: "Too many" })).toHaveText(/^Too many attempts\. Try again in 1[45] minutes\.$/);
  await expect(page).toHaveURL(/\/sign-in$/);

  // Straight to Auth.js's endpoint, claiming another address: still refused, with Retry-After.
  const csrf = await request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { email: a.email, password: a.password, csrfToken, callbackUrl: "/batches" },
    headers: { "x-forwarded-for": "203.0.113.50" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(429);
  expect(Number(res.headers()["retry-after"])).toBeGreaterThan(13 * 60);
  expect((await res.json()).error).toMatch(/^Too many attempts\. Try again in 1[45] minutes\.$/);
  await page.context().close();
});

test("the Account page fits a phone's width (the sidebar goes above the page)", async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await signUp(page, newAccount("Phone"));
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1, name: "Account" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const field = await page.getByLabel("Current password").boundingBox();
  expect(field!.width).toBeGreaterThan(250); // was squeezed to about 110 px beside a 240 px sidebar
  await ctx.close();
});

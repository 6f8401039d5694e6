// The audit log in a real browser on a real server: an owner's sign-up, a failed sign-in, a sign-in,
// an invite and a teammate joining through it appear newest first with who, from which address and
// to what; the filters narrow the list and the CSV export downloads exactly that view; the teammate
// (a member) has no link to the page, gets "not found" there and 403 from the export.
import { expect, test, type Page } from "@playwright/test";
import { download, fillSignIn, fillSignUp, newAccount, nonEmptyLines, signIn, signOut, signUp } from "./helpers";

const entries = (page: Page) => page.getByRole("list", { name: "Audit entries" }).getByRole("listitem");
const LOOPBACK = /127\.0\.0\.1|::1/;

test("the audit log: every change with actor, address and object; filters, CSV export, admins only", async ({ browser }) => {
  const owner = newAccount("Auditor");
  const mate = newAccount("Mate");
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await signUp(page, owner);
  await signOut(page);
  await page.goto("/sign-in");
  await fillSignIn(page, owner.email, "Not-the-password-1");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await signIn(page, owner);

  await page.goto("/team");
  await page.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const inviteLink = await page.getByLabel("Invite link").inputValue();

  const mateCtx = await browser.newContext();
  const matePage = await mateCtx.newPage();
  await matePage.goto(inviteLink);
  await matePage.getByRole("link", { name: "Create an account and join" }).click();
  await fillSignUp(matePage, mate);
  await expect(matePage).toHaveURL(/\/overview$/);

  // A member: no link, "not found" on the page, 403 from the export.
  await expect(matePage.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  // Streamed under the dashboard's loading state, Next's not-found page comes with status 200, as on every page here.
  await matePage.goto("/audit");
  await expect(matePage.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(matePage.getByRole("list", { name: "Audit entries" })).toHaveCount(0);
  expect((await matePage.request.get("/api/audit/export.csv")).status()).toBe(403);

  // The owner: newest first, each with who, from where and to what.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const list = entries(page);
  // The teammate's sign-in is the team's too (each sign-in is written in each of the account's teams).
  await expect(list.first()).toHaveAttribute("data-action", "account.signed_in");
  await expect(list.first()).toContainText(mate.email);
  const actions = await list.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-action")));
  expect(actions).toEqual([
    "account.signed_in",
    "member.joined",
    "invite.created",
    "account.signed_in",
    "account.sign_in_failed",
    "account.signed_out",
    "account.signed_in",
    "team.created",
    "account.created",
  ]);
  const failed = page.locator('li[data-action="account.sign_in_failed"]');
  await expect(failed).toContainText(owner.email);
  await expect(failed).toContainText(LOOPBACK);
  await expect(page.locator('li[data-action="invite.created"]')).toContainText("Member invite");
  await page.screenshot({ path: "test-results/audit-desktop.png", fullPage: true });

  // Filters: by action, then by text; the address holds them.
  await page.getByLabel("Action").selectOption({ label: "Invite created" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/audit\?.*\baction=invite\.created\b/);
  await expect(list).toHaveCount(1);
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByLabel("Action")).toHaveValue("");
  await page.getByLabel("Search").fill("sign_in_failed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(list).toHaveCount(1);
  await expect(list.first()).toHaveAttribute("data-action", "account.sign_in_failed");

  // The export is the view: one row, formula-safe CSV, and the download is itself in the log.
  const { text, download: d } = await download(page, page.getByRole("link", { name: "Export CSV" }));
  expect(d.suggestedFilename()).toMatch(/-audit\.csv$/);
  const lines = nonEmptyLines(text.replace(/\r/g, ""));
  expect(lines[0]).toBe("time,actor,actor_id,token,ip,action,object_type,object_id,object,details");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`,${owner.email},,`);
  expect(lines[1]).toContain(",account.sign_in_failed,user,");
  await page.goto("/audit");
  await expect(list.first()).toHaveAttribute("data-action", "audit.exported");

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await ctx.storageState() });
  const phonePage = await phone.newPage();
  await phonePage.goto("/audit");
  await expect(entries(phonePage).first()).toBeVisible();
  await phonePage.screenshot({ path: "test-results/audit-phone.png", fullPage: true });
  await Promise.all([ctx.close(), mateCtx.close(), phone.close()]);
});

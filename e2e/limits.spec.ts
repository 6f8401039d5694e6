// A Custom OpenAI-compatible connection's own limits in the browser: a fresh account adds one
// (running on the sandbox), sees a bad value refused with the field and the bound, sets max
// requests to 3, then uploads a 5-request file checked for that connection and sees it refused on
// line 4 with the limit named. Other providers show their limits read-only, unconfirmed ones marked.
// Then Bailian's free dry run, launched from the form and answered by the sandbox's Bailian imitation.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import os from "node:os";
import path from "node:path";
import { addImitation, batchHeader, chooseUpload, makeLines, newAccount, signUp, writeJsonl, resultRows } from "./helpers";

const account = newAccount("Lim");
/** Screenshots to look at, outside test-results (which every run empties). */
const shot = (name: string) => path.join(os.tmpdir(), "batchboard-limits-shots", `${name}.png`);

let ctx: BrowserContext;
let page: Page;


test.describe.serial("a custom connection's limits", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext();
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("edit the limits, then an upload checked for the connection is refused with the limit named", async () => {
    await signUp(page, account);

    // A custom connection that runs on the sandbox (no key to type): its limits are the team's to set.
    const card = await addImitation(page, "Custom OpenAI-compatible", "Acme");
    await card.getByRole("button", { name: "Edit limits" }).click();
    const maxRequests = card.getByLabel("Max requests per file");
    await expect(maxRequests).toHaveAttribute("placeholder", "50000");
    await expect(card.getByLabel("Max file size (MB)")).toHaveAttribute("placeholder", "200");

    // A bad value: refused beside its field, naming the bound.
    await maxRequests.fill("0");
    await card.getByLabel("Longest completion window (hours)").fill("9000");
    await card.getByRole("button", { name: "Save limits" }).click();
    await expect(card.getByText("Max requests must be at least 1.", { exact: true })).toBeVisible();
    await expect(card.getByText("Longest completion window must be at most 8,760 hours.", { exact: true })).toBeVisible();
    await expect(card.getByText("2 limits need fixing: see the messages above.")).toBeVisible();
    await page.screenshot({ path: shot("limits-errors"), fullPage: true });

    await maxRequests.fill("3");
    await card.getByLabel("Longest completion window (hours)").fill("");
    await card.getByRole("button", { name: "Save limits" }).click();
    await expect(card.getByRole("button", { name: "Save limits" })).toBeHidden();
    await card.getByText("Limits (this team's own)").click();
    await expect(card.getByText("set by this team")).toBeVisible();
    await expect(card.locator("dd", { hasText: /^3set by this team$/ })).toBeVisible();
    await page.screenshot({ path: shot("limits-saved"), fullPage: true });

    // The built-in Sandbox shows its limits read-only, with no edit button.
    const sandbox = page.getByRole("listitem").filter({ hasText: "Sandbox (built in)" }).first();
    await expect(sandbox.getByRole("button", { name: "Edit limits" })).toHaveCount(0);
    await sandbox.getByText("Limits", { exact: true }).click();
    await expect(sandbox).toContainText("50,000");

    // An upload checked for Acme: 4 requests, over its 3 a batch, is valid as a job of parts (Acme splits);
    // 601, over what 200 parts of 3 hold, is refused.
    await page.goto("/files");
    await page.getByLabel("Check for").selectOption({ label: "Acme (Custom OpenAI-compatible)" });
    await expect(page.getByText(/Up to 3 requests and .* per batch; a file over that is launched as a job of parts, up to 600 requests/)).toBeVisible();
    await chooseUpload(page, writeJsonl("acme-4.jsonl", makeLines(4)));
    await expect(page.getByRole("status").filter({ hasText: "Valid:" })).toContainText("Valid: 4 requests");
    const note = page.getByRole("note").filter({ hasText: "launched as a job of parts" });
    await expect(note).toContainText("Line 4: This is request 4, over Acme (Custom OpenAI-compatible)'s limit of 3 per batch: the file will be launched as a job of parts");
    await page.getByRole("button", { name: "Upload another" }).click();
    await chooseUpload(page, writeJsonl("acme-601.jsonl", makeLines(601)));
    await expect(page.getByText("Too many requests: a file launched as a job of parts may hold at most 600; this is request 601")).toBeVisible();
    await page.screenshot({ path: shot("upload-refused"), fullPage: true });

    // Reset to defaults: the same file is then fine for Acme.
    await page.goto("/providers");
    await card.getByRole("button", { name: "Edit limits" }).click();
    await card.getByRole("button", { name: "Reset to defaults" }).click();
    await expect(card.getByRole("button", { name: "Reset to defaults" })).toBeHidden();
    await expect(card.getByText("Limits", { exact: true })).toBeVisible();
    await page.goto("/files");
    await page.getByLabel("Check for").selectOption({ label: "Acme (Custom OpenAI-compatible)" });
    await chooseUpload(page, writeJsonl("acme-5b.jsonl", makeLines(5)));
    await expect(page.getByRole("status").filter({ hasText: "Valid:" })).toContainText("Valid: 5 requests");
  });

  // Bailian's dry run, end to end: a Bailian connection on the sandbox's Bailian imitation, which
  // (like Bailian) answers batch-test-model on /v1/chat/ds-test with "This is a test result.".
  test("Bailian's free dry run: offered by the launch form, sent as the test model, answered", async () => {
    await addImitation(page, "Alibaba Bailian (DashScope)", "Qwen");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Qwen", exact: true }) });
    await expect(card.getByRole("button", { name: "Edit limits" })).toHaveCount(0);
    await card.getByText("Limits", { exact: true }).click();
    await expect(card).toContainText("batch-test-model on /v1/chat/ds-test, at most 100 lines and 1 MB");
    await page.screenshot({ path: shot("bailian-limits"), fullPage: true });

    await page.goto("/files");
    await chooseUpload(page, writeJsonl("qwen-150.jsonl", makeLines(150)));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 150 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption({ label: "Qwen (Alibaba Bailian (DashScope))" });
    const dry = page.getByLabel("Dry run (free)");
    await expect(dry).not.toBeChecked();
    await expect(page.getByText(/It checks the file's format and the whole flow .* not the model's answers: every answer is “This is a test result.”/)).toBeVisible();
    await expect(page.getByText("this file has 150 requests", { exact: false })).toContainText("the dry run sends its first 100 that fit");
    await dry.check();
    await expect(page.getByRole("button", { name: "Launch dry run" })).toBeEnabled();
    await expect(page.getByText("Dry run: 100 requests to batch-test-model on Qwen")).toBeVisible();
    await page.screenshot({ path: shot("launch-dry-run"), fullPage: true });

    await page.getByLabel("Name", { exact: true }).fill("Qwen dry run");
    await page.getByRole("button", { name: "Launch dry run" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    const header = batchHeader(page);
    await expect(header.getByRole("heading", { name: "Qwen dry run" })).toBeVisible();
    await expect(header.getByText("Dry run", { exact: true })).toBeVisible();
    await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText("100 stored: 100 succeeded, 0 failed", { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(resultRows(page).first()).toContainText("This is a test result.");
    await page.screenshot({ path: shot("dry-run-done"), fullPage: true });
  });
});

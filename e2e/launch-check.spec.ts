// A new team's first steps, checked in the browser: the empty Batches page runs a sample batch in one
// click (on the built-in Sandbox, to its batch page, to the end); the launch form says whether the
// chosen connection takes the file as soon as both are chosen, from the server's own launch checks
// (a custom_id over a connection's limit is found before Launch, and Launch stays off); and the retry
// dialog leaves out, and warns about, failures that a retry meets again (the content inspection's).
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { addImitation, batchHeader, chooseUpload, makeLines, newAccount, signUp, statNumber, writeJsonl } from "./helpers";

const account = newAccount("Sami");
const SANDBOX_OPTION = "Sandbox (built-in test provider, no key needed)";

let ctx: BrowserContext;
let page: Page;

test.describe.serial("first steps: sample batch, launch verdict, retry codes", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("a fresh team runs the sample batch from the empty Batches page", async () => {
    await signUp(page, account);
    await page.goto("/batches");
    await expect(page.getByRole("heading", { name: "No batches yet" })).toBeVisible();
    await page.getByRole("button", { name: "Run a sample batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    await expect(page.getByRole("heading", { name: "Sample: support inbox" })).toBeVisible();
    await expect(batchHeader(page).getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    expect(await statNumber(page, "Completed")).toBe(6);
    // It is an ordinary batch of an ordinary file: listed on both pages.
    await page.goto("/batches");
    await expect(page.getByRole("link", { name: "Sample: support inbox" })).toBeVisible();
    await page.goto("/files");
    await expect(page.getByText("sample-support-inbox.jsonl").first()).toBeVisible();
  });

  test("the launch form gives the verdict beside the pickers, every line checked", async () => {
    // Acme: a custom connection on the sandbox whose custom_ids may be 5 characters; the file's are 7.
    const card = await addImitation(page, "Custom OpenAI-compatible", "Acme");
    await card.getByRole("button", { name: "Edit limits" }).click();
    await card.getByLabel("custom_id max length").fill("5");
    await card.getByRole("button", { name: "Save limits" }).click();
    await expect(card.getByRole("button", { name: "Save limits" })).toBeHidden();

    await page.goto("/files");
    await chooseUpload(page, writeJsonl("verdict-6.jsonl", makeLines(6, { fail: [2, 5] })));
    await expect(page.getByText("Valid: 6 requests")).toBeVisible();
    await page.goto((await page.getByRole("link", { name: "Launch a batch" }).getAttribute("href"))!);

    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    const valid = page.getByRole("status").filter({ hasText: "Valid for" });
    await expect(valid).toContainText("✓ Valid for Sandbox (built in): all 6 requests fit.");
    await expect(valid).toContainText("Checked against its limits: 50,000 requests");

    await page.getByLabel("Provider connection").selectOption({ label: "Acme (Custom OpenAI-compatible)" });
    const refused = page.getByRole("alert").filter({ hasText: "Acme cannot take this file" });
    await expect(refused).toContainText("Line 1: custom_id is 7 characters, over Acme's limit of 5.");
    await expect(refused).toContainText("Its limits: 50,000 requests");
    await expect(page.getByRole("button", { name: "Launch batch" })).toBeDisabled();
    // The verdict sits beside the pickers, above the rest of the form.
    const verdictBox = (await refused.boundingBox())!;
    const nameBox = (await page.getByLabel("Name", { exact: true }).boundingBox())!;
    expect(verdictBox.y).toBeLessThan(nameBox.y);

    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await expect(valid).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill("Inbox with refusals");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    await expect(batchHeader(page).getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    expect(await statNumber(page, "Failed")).toBe(2);
  });

  test("retry leaves out the failures a retry meets again, and warns when they are ticked", async () => {
    await page.getByRole("button", { name: "Retry 2 failed…" }).click();
    const dialog = page.getByRole("dialog", { name: "Retry requests of “Inbox with refusals”" });
    await expect(dialog.getByLabel("Failed (2)")).not.toBeChecked();
    await expect(dialog.getByRole("note")).toContainText("2 failed requests are left out: their errors (data_inspection_failed) fail again on a retry.");
    await expect(dialog.getByText("Nothing chosen")).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Launch retry" })).toBeDisabled();

    await dialog.getByLabel("Failed (2)").check();
    const code = dialog.getByRole("checkbox", { name: /data_inspection_failed \(2\)/ });
    await expect(code).toBeChecked();
    await expect(dialog.getByText(/will fail again: refused by the content inspection/)).toBeVisible();
    await expect(dialog.getByRole("alert")).toContainText("2 of the chosen requests failed in a way a retry meets again (data_inspection_failed)");
    await code.uncheck();
    await expect(dialog.getByRole("alert")).toHaveCount(0);
    await expect(dialog.getByText("Nothing chosen")).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
  });
});

test("in Chinese: the empty Batches page runs the sample, and its page reads in Chinese", async ({ browser }) => {
  const context = await browser.newContext({ locale: "en-US" });
  const zh = await context.newPage();
  await signUp(zh, newAccount("Zhang"));
  await zh.getByRole("combobox", { name: "Language" }).selectOption("zh-CN");
  await expect(zh.locator("html")).toHaveAttribute("lang", "zh-CN");
  await zh.goto("/batches");
  await expect(zh.getByRole("heading", { name: "还没有批处理" })).toBeVisible();
  await zh.getByRole("button", { name: "运行示例批处理" }).click();
  await zh.waitForURL(/\/batches\/(?!new)[^/?]+$/);
  await expect(zh.getByRole("heading", { name: "Sample: support inbox" })).toBeVisible();
  await expect(zh.getByText("已完成", { exact: true }).first()).toBeVisible();
  await expect(zh.getByRole("link", { name: "← 批处理" })).toBeVisible();
  await context.close();
});

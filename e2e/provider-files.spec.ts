// Polling and provider files in the browser: a running batch's page says when it was checked and
// when the next check is, and "Check now" answers (here: too soon after the last poll); the
// connection's files page lists the input file as in use by the batch; once the batch has ended the
// worker has deleted its input file (the connection's default), and "Delete all unused" removes the
// result files. Screenshots at desktop and phone width for a person to look at.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import path from "node:path";
import { batchHeader, chooseUpload, makeLines, newAccount, signUp, writeJsonl } from "./helpers";

const account = newAccount("Fiona");
const N = 300;
const SANDBOX_OPTION = "Sandbox (built-in test provider, no key needed)";
const shot = (name: string) => path.join(process.env.E2E_SHOTS_DIR ?? path.join(process.cwd(), "test-results", "provider-files-shots"), `${name}.png`);

let ctx: BrowserContext;
let page: Page;
let batchUrl = "";

test.describe.serial("polling and provider files", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("a running batch shows its next check, and Check now answers", async () => {
    await signUp(page, account);
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("files-300.jsonl", makeLines(N)));
    await expect(page.getByText(`Valid: ${N} requests`)).toBeVisible();
    await page.goto((await page.getByRole("link", { name: "Launch a batch" }).getAttribute("href"))!);
    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await page.getByLabel("Name", { exact: true }).fill("Files source");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    batchUrl = new URL(page.url()).pathname;

    const schedule = page.getByTestId("sync-schedule");
    await expect(schedule).toContainText(/Checked with the provider .* ago · (next check in|checking now)/);
    // The e2e server polls the sandbox every 500 ms: a click always comes within 10 s of a poll.
    await schedule.getByRole("button", { name: "Check now" }).click();
    await expect(schedule.getByRole("alert")).toHaveText(/^Checked with the provider (just now|\d+ s ago): try again in \d+ s\.$/);
    await page.screenshot({ path: shot("batch-desktop") });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot("batch-phone"), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("the files page lists the input file as used by the running batch", async () => {
    await page.goto("/providers");
    await page.getByRole("link", { name: "Files →" }).first().click();
    await page.waitForURL(/\/providers\/[^/]+\/files$/);
    await expect(page.getByRole("heading", { name: /^Files at / })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: "Files source" });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("(input)");
    await expect(row).toContainText("in use");
    await expect(row).toContainText("batch");
    await expect(page.getByLabel("Delete input files after the batch ends")).toBeChecked();
    await page.screenshot({ path: shot("files-running-desktop"), fullPage: true });
  });

  test("after the batch ends its input file is gone, and Delete all unused removes the result files", async () => {
    await page.goto(batchUrl);
    await page.getByRole("button", { name: "Cancel batch" }).click();
    await page.getByRole("button", { name: "Yes, cancel" }).click();
    await expect(batchHeader(page).getByText("Cancelled", { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("sync-schedule")).toHaveCount(0, { timeout: 30_000 });

    await page.goto("/providers");
    await page.getByRole("link", { name: "Files →" }).first().click();
    await page.waitForURL(/\/providers\/[^/]+\/files$/);
    // The list streams in after the page's skeleton: wait for it before counting rows.
    await expect(page.getByRole("button", { name: /^Delete all unused \(\d+\)$/ })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("row").filter({ hasText: "(input)" })).toHaveCount(0);
    const results = page.getByRole("row").filter({ hasText: /\((output|error)\)/ });
    const n = await results.count();
    expect(n).toBeGreaterThan(0);
    await page.screenshot({ path: shot("files-ended-desktop"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot("files-ended-phone"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole("button", { name: `Delete all unused (${n})` }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await expect(page.getByText(`Deleted ${n} ${n === 1 ? "file" : "files"}.`)).toBeVisible();
    await expect(page.getByText("The provider keeps no files for this key.")).toBeVisible();
  });
});

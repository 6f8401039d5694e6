// Retries in the browser: a batch on the Sandbox is cancelled part way, so some of its requests never
// ran; "Retry N unfinished…" shows the counts and launches them as a child batch on another model;
// the child's page shows "Retry of", the first batch's page "Retried by" and the merged view, where
// every custom_id has succeeded once the child is done, and the merged CSV says the same.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import path from "node:path";
import { batchHeader, chooseUpload, download, makeLines, newAccount, signUp, statNumber, writeJsonl } from "./helpers";

const account = newAccount("Rita");
// Enough requests (at the e2e server's 150 ms each) to cancel well before the end.
const N = 120;
const SANDBOX_OPTION = "Sandbox (built-in test provider, no key needed)";
/** Screenshots to look at, outside test-results (which every run empties). */
const shot = (name: string) => path.join(process.env.E2E_SHOTS_DIR ?? path.join(process.cwd(), "test-results", "retry-shots"), `${name}.png`);

let ctx: BrowserContext;
let page: Page;
let parentUrl = "";
let unfinished = 0;

test.describe.serial("retry a batch's unfinished requests", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("a batch cancelled part way offers to retry what never ran", async () => {
    await signUp(page, account);
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("retry-120.jsonl", makeLines(N)));
    await expect(page.getByText(`Valid: ${N} requests`)).toBeVisible();
    await page.goto((await page.getByRole("link", { name: "Launch a batch" }).getAttribute("href"))!);
    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await page.getByLabel("Name", { exact: true }).fill("Retry source");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    parentUrl = new URL(page.url()).pathname;

    // Cancel right away (however many requests are done by then): the rest never run.
    await page.getByRole("button", { name: "Cancel batch" }).click();
    await page.getByRole("button", { name: "Yes, cancel" }).click();
    await expect(batchHeader(page).getByText("Cancelled", { exact: true })).toBeVisible({ timeout: 30_000 });

    const retry = page.getByRole("button", { name: /^Retry \d+ unfinished…$/ });
    await expect(retry).toBeVisible({ timeout: 30_000 });
    unfinished = Number((await retry.innerText()).match(/\d+/)![0]);
    const done = (await statNumber(page, "Completed")) + (await statNumber(page, "Failed"));
    expect(unfinished).toBe(N - done);
    expect(unfinished).toBeGreaterThan(0);
  });

  test("the dialog shows the counts, and launches one child batch on another model", async () => {
    await page.getByRole("button", { name: /^Retry \d+ unfinished…$/ }).click();
    const dialog = page.getByRole("dialog", { name: "Retry requests of “Retry source”" });
    await expect(dialog.getByLabel("Failed (0)")).toBeDisabled();
    await expect(dialog.getByLabel(`Expired or never answered (${unfinished})`)).toBeChecked();
    await expect(dialog.getByLabel("Connection")).toHaveValue(/.+/);
    await expect(dialog.getByLabel("Model")).toHaveValue("batch-test-model");
    await dialog.getByLabel("Model").fill("batch-test-model-2");
    await expect(dialog).toContainText(`A new batch of ${unfinished} requests`);
    await page.screenshot({ path: shot("retry-dialog") });

    // A double click launches one retry.
    await dialog.getByRole("button", { name: "Launch retry" }).dblclick();
    await page.waitForURL((u) => u.pathname !== parentUrl && /\/batches\/[^/]+$/.test(u.pathname));
    await expect(batchHeader(page).getByRole("heading", { name: `Retry source — retry of ${unfinished} unfinished` })).toBeVisible();
    const lineage = page.getByRole("list", { name: "Lineage" });
    await expect(page.getByText("Retry of Retry source", { exact: true })).toBeVisible();
    await expect(lineage.getByRole("listitem")).toHaveCount(2);
    await expect(batchHeader(page).getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(lineage.getByRole("listitem").nth(1)).toContainText(`${unfinished} completed`);
    await expect(lineage.getByRole("listitem").nth(1)).toContainText("batch-test-model-2");
    await page.screenshot({ path: shot("retry-child"), fullPage: true });
  });

  test("the first batch shows its retry and the merged view: every request succeeded", async () => {
    await page.goto(parentUrl);
    await expect(page.getByText(`Retried by Retry source — retry of ${unfinished} unfinished`, { exact: true })).toBeVisible();
    const lineage = page.getByRole("list", { name: "Lineage" });
    await expect(lineage.getByRole("listitem")).toHaveCount(2);

    const merged = page.locator("#merged");
    await expect(merged.getByRole("heading", { name: "Merged across retries (2 batches)" })).toBeVisible();
    await expect(merged).toContainText(`${N} of ${N} succeeded after all retries (${unfinished} recovered by retries)`);
    await merged.getByRole("button", { name: "Show merged results" }).click();
    await expect(merged.getByRole("tab", { name: `All ${N}` })).toBeVisible();
    await expect(merged.getByRole("tab", { name: "Failed 0" })).toBeVisible();
    const rows = merged.locator("tbody tr");
    await expect(rows).toHaveCount(50);
    await expect(merged).toContainText(`${N} custom_ids`);
    await expect(rows.first()).toContainText("req-001");
    await merged.getByRole("button", { name: "Next" }).click();
    await expect(merged).toContainText("Page 2 of 3");
    await expect(rows.first()).toContainText("req-051");
    // Requests that never ran in the first batch (the last ones: page 3 always holds some, however
    // many ran before the cancel): their answers come from the retry.
    await merged.getByRole("button", { name: "Next" }).click();
    await expect(merged).toContainText("Page 3 of 3");
    await expect(rows.last()).toContainText("req-120");
    await expect(rows.last()).toContainText(`Retry source — retry of ${unfinished} unfinished`);
    await merged.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("retry-merged"), fullPage: true });

    const { text } = await download(page, merged.getByRole("link", { name: "Merged CSV" }));
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(N);
    expect(new Set(records.map((r) => r.custom_id)).size).toBe(N);
    expect(records.every((r) => r.status_code === "200")).toBe(true);
    expect(records.filter((r) => r.attempts === "2")).toHaveLength(0);
    expect(records.filter((r) => r.batch_name !== "Retry source")).toHaveLength(unfinished);
  });
});

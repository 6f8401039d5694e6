// Doubleword's partial results in the browser: a Doubleword connection on the sandbox's Doubleword
// imitation (which, like Doubleword, serves the output and error files while the batch runs, with
// X-Incomplete and X-Last-Line) shows its first results, live, before the status reaches
// Completed; a CSV export of the running batch holds them; at the end every result is there once.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { ResponseWatch, addImitation, batchHeader, chooseUpload, download, makeLines, newAccount, sandboxKey, signUp, statNumber, writeJsonl, resultRows } from "./helpers";

// 120 requests at the e2e server's 150 ms each: about 18 s of running, polled every 0.5..2 s.
const N = 120;
const FAIL_AT = [7, 30];
const account = newAccount("Dora");

let ctx: BrowserContext;
let page: Page;

test.describe.serial("Doubleword partial results on the batch page", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await ctx.newPage();
  });

  test.afterAll(async () => {
    await ctx?.close();
  });

  test.afterEach(async () => {
    const info = test.info();
    if (info.status !== info.expectedStatus && page && !page.isClosed()) {
      await info.attach("page", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
    }
  });

  test("results appear, live, while the batch runs; a CSV export of the running batch holds them; the end count is exact", async () => {
    test.setTimeout(180_000);
    const watch = new ResponseWatch(ctx);
    await signUp(page, account);

    // A Doubleword connection on the sandbox's Doubleword imitation, made from the Providers page.
    const teamId = await page.getByLabel("Team").inputValue();
    const card = await addImitation(page, "Doubleword", "Doubleword imitation");
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card).toContainText(/OK\s*Connected/);

    // Upload and launch on it.
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("partial-120.jsonl", makeLines(N, { prefix: "dw", fail: FAIL_AT })));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText(`Valid: ${N} requests`);
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption({ label: "Doubleword imitation (Doubleword)" });
    await page.getByLabel("Name", { exact: true }).fill("Partial batch");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    const header = batchHeader(page);
    await expect(header.getByRole("heading", { name: "Partial batch" })).toBeVisible();
    await expect(header).toContainText("Doubleword");

    // Partial results show up while the status is still In progress, and grow by themselves.
    const note = page.getByRole("status").filter({ hasText: "Partial results:" });
    await expect(note).toBeVisible({ timeout: 60_000 });
    await expect(header.getByText("In progress", { exact: true })).toBeVisible();
    const shown = async () => Number(/Partial results: (\d+) of (\d+) so far/.exec(await note.innerText())?.[1] ?? NaN);
    await expect(note).toContainText(`of ${N} so far`);
    await expect(note).toContainText("the provider serves results while the batch runs");
    const first = await shown();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(N);
    const rows = resultRows(page);
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await expect(rows.first().getByRole("cell").first()).toHaveText("dw-001");
    await expect(rows.first().getByRole("cell").nth(2)).toContainText("This is a test result.");
    await expect.poll(shown, { timeout: 30_000 }).toBeGreaterThan(first);
    expect(await statNumber(page, "Completed")).toBeLessThan(N);
    await page.screenshot({ path: test.info().outputPath("partial-results-running.png"), fullPage: true });

    // An export while it runs: the results stored so far, each once.
    const csv = await download(page, page.getByRole("link", { name: "Download CSV" }));
    const records = parse(csv.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(records.length).toBeGreaterThanOrEqual(first);
    expect(records.length).toBeLessThanOrEqual(N);
    expect(new Set(records.map((r) => r.custom_id)).size).toBe(records.length);

    // The end: Completed, the note gone, every result there once, the page no longer live.
    await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByText(`${N} stored: ${N - FAIL_AT.length} succeeded, ${FAIL_AT.length} failed`, { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(note).toHaveCount(0);
    await expect(header.getByText("live", { exact: true })).toBeHidden({ timeout: 30_000 });
    // The key never reached the browser.
    expect(await watch.containing(sandboxKey(teamId))).toEqual([]);
  });
});

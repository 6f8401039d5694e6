// The results browser in Chromium: a fresh account uploads a JSONL file on the Files page, launches
// it on the built-in Sandbox and waits for the end; then filters by Failed, opens a row's drawer
// (request as a conversation, the error, the raw JSON), moves with the arrow keys, closes with Esc,
// reloads to find the same view from the URL, keeps a column choice, and downloads the CSV for
// Excel with its byte order mark and only the filtered rows.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import fs from "node:fs";
import { BASE_URL, batchHeader, chooseUpload, makeLines, newAccount, signUp, writeJsonl } from "./helpers";

const SANDBOX_OPTION = "Sandbox (built-in test provider, no key needed)";
const FAIL_AT = [3, 6];
const LINES = makeLines(8, { prefix: "rb", fail: FAIL_AT, prompt: (i) => `Question ${i}: 把第 ${i} 句翻译成英文` });
const shots = process.env.E2E_SHOTS_DIR;

let ctx: BrowserContext;
let page: Page;

test.describe.serial("results browser", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1400, height: 950 } });
    page = await ctx.newPage();
    await signUp(page, newAccount("Rita"));
  });

  test.afterAll(async () => {
    await ctx?.close();
  });

  test("filter, drawer, keyboard, a URL that keeps the view, columns, and the CSV for Excel", async () => {
    test.setTimeout(90_000);
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("results-browser.jsonl", LINES));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 8 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await page.getByLabel("Name", { exact: true }).fill("Browser batch");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    const batchPath = new URL(page.url()).pathname;
    await expect(batchHeader(page).getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText("8 stored: 6 succeeded, 2 failed", { exact: true })).toBeVisible({ timeout: 30_000 });

    // The results table only (the page holds other tables, e.g. the summary's errors by code).
    const rows = page.getByTestId("results-scroll").locator("tbody tr");
    await expect(rows).toHaveCount(8);
    await expect(page.getByText("8 results", { exact: true })).toBeVisible();

    // Filter: Failed. The URL holds it.
    const tabs = page.getByRole("group", { name: "Show results" });
    await tabs.getByRole("button", { name: /^Failed/ }).click();
    await expect(page).toHaveURL(/[?&]status=failed/);
    await expect(rows).toHaveCount(2);
    await expect(page.getByText("2 matching", { exact: true })).toBeVisible();
    // The error code filter offers the codes this batch holds.
    await expect(page.getByLabel("Error code")).toHaveCount(0); // one code only: nothing to choose between

    // The drawer: request as a conversation, the error, the raw line.
    await rows.filter({ hasText: "rb-003" }).click();
    const drawer = page.getByRole("dialog", { name: "Result rb-003" });
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(/[?&]row=\d+/);
    await expect(drawer.getByText("user", { exact: true })).toBeVisible();
    await expect(drawer).toContainText(`[fail] ${LINES[2].prompt.replace("[fail] ", "")}`);
    await expect(drawer).toContainText("data_inspection_failed");
    await expect(drawer.getByLabel("Raw JSON")).toContainText('"custom_id": "rb-003"');
    await expect(drawer).toContainText("1 of 2");
    if (shots) await page.screenshot({ path: `${shots}/drawer-failed.png` });

    // Keyboard: down to the next failed row, Esc closes.
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("dialog", { name: "Result rb-006" })).toBeVisible();
    await expect(page.getByRole("dialog")).toContainText("2 of 2");
    await page.keyboard.press("ArrowUp");
    await expect(page.getByRole("dialog", { name: "Result rb-003" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page).not.toHaveURL(/[?&]row=/);

    // A copied link shows the same view: reload with the drawer open on rb-006.
    await rows.filter({ hasText: "rb-006" }).click();
    await expect(page.getByRole("dialog", { name: "Result rb-006" })).toBeVisible();
    const link = page.url();
    expect(new URL(link).pathname).toBe(batchPath);
    await page.reload();
    await expect(tabs.getByRole("button", { name: /^Failed/ })).toHaveAttribute("aria-pressed", "true");
    await expect(rows).toHaveCount(2);
    await expect(page.getByRole("dialog", { name: "Result rb-006" })).toBeVisible();
    expect(page.url()).toBe(link);
    await page.keyboard.press("Escape");

    // A succeeded row's answer, rendered as markdown, in the unfiltered view sorted by tokens.
    await tabs.getByRole("button", { name: /^All/ }).click();
    await page.getByLabel("Sort").selectOption("-total_tokens");
    await expect(page).toHaveURL(/sort=-total_tokens/);
    await expect(rows).toHaveCount(8);
    // Failed rows have no token counts: they come last.
    await expect(rows.nth(6)).toContainText("failed");
    await expect(rows.nth(7)).toContainText("failed");
    await rows.filter({ hasText: "rb-001" }).click();
    const ok = page.getByRole("dialog", { name: "Result rb-001" });
    await expect(ok.getByTestId("markdown")).toContainText("This is a test result.");
    await expect(ok).toContainText("Total tokens");
    if (shots) await page.screenshot({ path: `${shots}/drawer-succeeded.png` });
    await ok.getByRole("button", { name: "Close" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    // A search in the prompts, Chinese included: the rows and their count (a first page holding
    // every match is its own count; a longer one's count comes after the page, lib/results/browse.ts).
    await page.getByLabel("Search results").fill("第 2 句");
    await expect(page).toHaveURL(/[?&]q=/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("rb-002");
    await expect(page.getByTestId("results-count")).toHaveText("1 matching");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(rows).toHaveCount(8);
    await expect(page.getByTestId("results-count")).toHaveText("8 results");

    // The column choice is remembered (per user, in this browser).
    await page.getByRole("button", { name: /^Columns/ }).click();
    await page.getByRole("checkbox", { name: "Model" }).check();
    await page.getByRole("checkbox", { name: "Prompt" }).uncheck();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("columnheader", { name: "Model" })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Prompt" })).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("columnheader", { name: "Model" })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Prompt" })).toHaveCount(0);

    // CSV for Excel of the filtered view: a byte order mark first, only the failed rows.
    await tabs.getByRole("button", { name: /^Failed/ }).click();
    await expect(rows).toHaveCount(2);
    await page.getByRole("button", { name: "More downloads" }).click();
    if (shots) await page.screenshot({ path: `${shots}/download-menu.png` });
    const [d] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^CSV for Excel/ }).click()]);
    expect(d.suggestedFilename()).toMatch(/-results-failed\.csv$/);
    const raw = fs.readFileSync((await d.path())!);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(raw.toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.custom_id).sort()).toEqual(["rb-003", "rb-006"]);
    expect(records.every((r) => r.error_code === "data_inspection_failed" && r.status === "failed")).toBe(true);
    // Chinese text intact, and a prompt starting with "[" is not a formula: untouched.
    expect(records.find((r) => r.custom_id === "rb-003")!.prompt).toBe(LINES[2].prompt);

    // The JSONL of the same view.
    await page.getByRole("button", { name: "More downloads" }).click();
    const [j] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^JSONL/ }).click()]);
    const jsonl = fs.readFileSync((await j.path())!, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(jsonl.map((l) => l.custom_id).sort()).toEqual(["rb-003", "rb-006"]);

    // The guide's layout: exactly the nine columns its JSONL-to-CSV script writes, so scripts made
    // for that file keep working; the choice is remembered like the others.
    await page.getByRole("button", { name: "More downloads" }).click();
    await page.getByRole("radio", { name: /guide's 9 columns/ }).check();
    const [g] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^CSV\s*UTF-8/ }).click()]);
    const guide = parse(fs.readFileSync((await g.path())!, "utf8"), { columns: false }) as string[][];
    expect(guide[0]).toEqual(["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage"]);
    expect(guide.slice(1).map((r) => r[0]).sort()).toEqual(["rb-003", "rb-006"]);
  });

  test("a search matching more rows than a page: the rows at once, their count after", async () => {
    test.setTimeout(90_000);
    // 130 rows, 120 of them holding "tern" in their prompt: the first page (100) does not hold every
    // match, so the view asks for the count apart (lib/results/browse.ts viewCount).
    const lines = makeLines(130, { prefix: "many", prompt: (i) => (i % 13 === 0 ? `Question ${i}` : `Question ${i} about the tern`) });
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("results-many.jsonl", lines));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 130 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await page.getByLabel("Name", { exact: true }).fill("Many rows");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    await expect(batchHeader(page).getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("results-count")).toHaveText("130 results", { timeout: 30_000 });
    const counted = page.waitForResponse((r) => r.url().includes("/results?") && r.url().includes("count=1"));
    await page.getByLabel("Search results").fill("tern");
    await expect(page).toHaveURL(/[?&]q=tern/);
    await counted;
    await expect(page.getByTestId("results-count")).toHaveText("120 matching");
    await expect(page.getByText("100 loaded", { exact: true })).toBeVisible();
  });
});

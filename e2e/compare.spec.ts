// Compare two batches in Chromium: a user uploads a file and a reworded copy of it for another
// model, launches both on the built-in Sandbox, waits for both to finish, opens "Compare with…"
// from the first batch and picks the second. The page warns that the inputs differ, shows the
// share of changed answers, marks the changed words, filters the rows, and keeps all of it in the
// URL; the CSV export holds the same rows.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import fs from "node:fs";
import { BASE_URL, batchHeader, chooseUpload, download, newAccount, signUp, tmpDir, writeJsonl } from "./helpers";

const user = newAccount("Carla");
const SANDBOX_OPTION = "Sandbox (built-in test provider, no key needed)";
const SHOTS = process.env.E2E_SHOTS_DIR;

const line = (custom_id: string, prompt: string, model: string) =>
  JSON.stringify({ custom_id, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content: prompt }] } });

// A: eight questions. B (another model): the first seven, two reworded, one failing on purpose,
// no cmp-008, and a cmp-009 of its own. Both answered: 1, 2, 3, 5, 6, 7; changed: 2 and 5.
const A = [
  "What is the capital of Peru?",
  "Name a planet with rings.",
  "What is 7 times 6?",
  "Who wrote Hamlet?",
  "How many legs has a spider?",
  "Give a synonym of quick.",
  "What colour is the sky on a clear day?",
  "Spell the word batch backwards.",
];
const B: [number, string][] = [
  [1, A[0]],
  [2, "Name a giant planet with rings."],
  [3, A[2]],
  [4, `[fail] ${A[3]}`],
  [5, "How many legs has a house spider?"],
  [6, A[5]],
  [7, A[6]],
  [9, "What is the boiling point of water?"],
];
const id = (i: number) => `cmp-${String(i).padStart(3, "0")}`;

let ctx: BrowserContext;
let page: Page;

async function shot(name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function upload(file: string, name: string, requests: number): Promise<string> {
  await page.goto("/files");
  await chooseUpload(page, file);
  const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
  await expect(outcome).toContainText(`Valid: ${requests} requests`);
  await expect(outcome).toContainText(name);
  return (await outcome.getByRole("link", { name: "Launch a batch" }).getAttribute("href")) ?? "";
}

async function launch(href: string, name: string): Promise<string> {
  await page.goto(href);
  await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Launch batch" }).click();
  await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function waitFinished(batchId: string) {
  await page.goto(`/batches/${batchId}`);
  const header = batchHeader(page);
  await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(header.getByText("live", { exact: true })).toBeHidden({ timeout: 30_000 });
}

test.describe.serial("Compare two batches", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1400, height: 900 } });
    page = await ctx.newPage();
  });

  test.afterAll(async () => {
    await ctx?.close();
    fs.rmSync(tmpDir(), { recursive: true, force: true });
  });

  test("two runs side by side: changed share, word diff, filters and CSV, all in the URL", async () => {
    test.setTimeout(120_000);
    await signUp(page, user);
    const fileA = writeJsonl("compare-a.jsonl", A.map((p, k) => line(id(k + 1), p, "batch-test-model")));
    const fileB = writeJsonl("compare-b.jsonl", B.map(([i, p]) => line(id(i), p, "batch-test-model-2")));
    const aId = await launch(await upload(fileA, "compare-a.jsonl", 8), "Model one");
    const bId = await launch(await upload(fileB, "compare-b.jsonl", 8), "Model two");
    await waitFinished(bId);
    await waitFinished(aId);

    // From A's page: A is chosen, B is left to pick.
    await shot("batch-page-link");
    await page.getByRole("link", { name: "Compare with…" }).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?a=${aId}$`));
    await expect(page.getByLabel("Batch A")).toHaveValue(aId);
    await expect(page.getByRole("heading", { name: "Now choose batch B" })).toBeVisible();
    await page.getByLabel("Batch B").selectOption({ value: bId }); // compares at once
    await expect(page).toHaveURL(new RegExp(`/compare\\?a=${aId}&b=${bId}$`));

    await expect(page.getByRole("status").filter({ hasText: "different input files" })).toContainText(
      "compared by custom_id anyway: 7 custom_ids are in both, 1 only in A, 1 only in B",
    );
    await expect(page.getByTestId("changed-share")).toHaveText("33.3%");
    await expect(page.getByText("2 of 6", { exact: true })).toBeVisible();
    // The sandbox costs nothing in the built-in price table.
    await expect(page.getByTestId("cost-difference")).toContainText("A $0.00, B $0.00 (B − A +$0.00)");
    const tokens = page.getByRole("table", { name: "Tokens of A and B" });
    await expect(tokens.getByRole("row", { name: /^Prompt/ })).toBeVisible();

    // Rows in A's order, then what only B has; the changed words marked on each side.
    const rows = page.locator("tbody tr[data-custom-id]");
    await expect(rows).toHaveCount(9);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-custom-id")))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(id));
    const two = page.locator(`tr[data-custom-id="${id(2)}"]`);
    await expect(two).toContainText("changed");
    await expect(two.locator("ins")).toHaveText(["giant"]);
    await expect(two).toContainText("B's prompt differs:");
    await expect(two).toContainText("batch-test-model-2");
    const five = page.locator(`tr[data-custom-id="${id(5)}"]`);
    await expect(five.locator("ins")).toHaveText(["house"]);
    await expect(page.locator(`tr[data-custom-id="${id(4)}"]`)).toContainText("failed in B");
    await expect(page.locator(`tr[data-custom-id="${id(8)}"]`)).toContainText("Not in batch B.");
    await expect(page.locator(`tr[data-custom-id="${id(9)}"]`)).toContainText("Not in batch A.");
    // Underline and strike-through, not only colour.
    expect(await two.locator("ins").first().evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain("underline");
    await shot("compare-all");

    // The "Changed" filter: in the URL, and a reload (or a teammate's link) shows the same.
    await page.getByRole("navigation", { name: "Which rows" }).getByRole("link", { name: /^Changed/ }).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?a=${aId}&b=${bId}&filter=changed$`));
    await expect(rows).toHaveCount(2);
    const shared = page.url();
    const other = await ctx.newPage();
    await other.goto(shared);
    await expect(other.getByTestId("changed-share")).toHaveText("33.3%");
    await expect(other.locator("tbody tr[data-custom-id]")).toHaveCount(2);
    await expect(other.getByLabel("Batch B")).toHaveValue(bId);
    await other.close();
    await shot("compare-changed");

    // The export follows the filter.
    const { text, download: d } = await download(page, page.getByRole("link", { name: "Export CSV" }));
    expect(d.suggestedFilename()).toBe("Model one vs Model two-compare-changed.csv");
    const csv = parse(text, { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => [r.custom_id, r.changed, r.model_a, r.model_b])).toEqual([
      [id(2), "yes", "batch-test-model", "batch-test-model-2"],
      [id(5), "yes", "batch-test-model", "batch-test-model-2"],
    ]);

    // Search, and swapping A and B.
    await page.getByRole("link", { name: /^All/ }).click();
    // The search keeps the tab it is typed on: wait for "All" to be the view before searching.
    await expect(page).toHaveURL(new RegExp(`/compare\\?a=${aId}&b=${bId}$`));
    await page.getByLabel("Search custom_id, prompt and answers").fill("Hamlet");
    await page.getByLabel("Search custom_id, prompt and answers").press("Enter");
    await expect(page).toHaveURL(/q=Hamlet/);
    await expect(rows).toHaveCount(1);
    await page.getByRole("link", { name: "Swap A and B" }).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?a=${bId}&b=${aId}$`));
    await expect(page.getByTestId("changed-share")).toHaveText("33.3%");
    await expect(page.locator(`tr[data-custom-id="${id(2)}"] del`)).toHaveText(["giant"]);
    await shot("compare-swapped");
  });
});

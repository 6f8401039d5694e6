// Prices, the cost estimate before launch and the batch summary, through the browser: the built-in
// table with its warning, a team price (refused first with field errors, then saved), the estimate
// on the launch form using it, and the batch page's summary whose actual cost is the results'
// tokens at that price.
import { expect, test, type Page } from "@playwright/test";
import { chooseUpload, makeLines, newAccount, signUp, writeJsonl } from "./helpers";

const num = (s: string) => Number(s.replace(/[^\d.]/g, ""));

test.describe.serial("prices, estimate and summary", () => {
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await signUp(page, newAccount("Coster"));
  });
  test.afterAll(() => page.close());

  test("the Prices page lists the built-in table, and an owner adds the team's own price", async () => {
    await page.getByRole("link", { name: "Prices" }).click();
    await expect(page.getByRole("heading", { name: "Prices", level: 1 })).toBeVisible();
    await expect(page.getByText("Check the built-in prices before relying on them.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "OpenAI", exact: true })).toBeVisible();
    // Half of OpenAI's $0.15 list price: the Batch API price.
    await expect(page.getByRole("row").filter({ hasText: "gpt-4o-mini*" }).first()).toContainText("$0.075");

    await page.getByRole("button", { name: "Add a price" }).click();
    await page.getByLabel("Provider").selectOption("sandbox");
    await page.getByLabel("Model").fill("batch test");
    await page.getByLabel("Input price per 1M tokens").fill("-2");
    await page.getByLabel("Output price per 1M tokens").fill("8");
    await page.getByRole("button", { name: "Save price" }).click();
    await expect(page.getByText("A model name has no spaces.")).toBeVisible();
    await expect(page.getByText("The input price cannot be negative.")).toBeVisible();
    await page.getByLabel("Model").fill("batch-test-model");
    await page.getByLabel("Input price per 1M tokens").fill("2");
    await page.getByRole("button", { name: "Save price" }).click();
    const own = page.getByTestId("team-price");
    await expect(own).toHaveCount(1);
    await expect(own).toContainText("batch-test-model");
    await expect(own).toContainText("$2.00");
    await expect(own).toContainText("Your team");
  });

  test("the launch form estimates the file's tokens and cost at that price, then the batch page sums up what it cost", async () => {
    const lines = makeLines(12, { fail: [4] });
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("cost-12.jsonl", lines));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 12 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();

    const estimate = page.getByTestId("cost-estimate");
    await expect(estimate.getByRole("table")).toBeVisible();
    await expect(estimate).toContainText("over 12 requests");
    // batch-test-model has no bundled tokenizer: the count says it is an estimate.
    await expect(estimate).toContainText("estimate: batch-test-model's own tokenizer is not bundled");
    await expect(estimate).toContainText("12 requests set no max_tokens");
    const row = estimate.getByTestId("cost-row").first();
    await expect(row).toContainText("(chosen)");
    await expect(row).toContainText("$2.00 / $8.00");
    await expect(row).toContainText("your team's price");
    // Assuming no output leaves only the input's cost.
    await estimate.getByLabel("Assumed output tokens per request without max_tokens").fill("0");
    await expect(row.locator("td").nth(4)).toHaveText("$0.00");

    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/[^/]+$/);
    const summary = page.getByTestId("batch-summary");
    await expect(summary).toBeVisible({ timeout: 60_000 });
    await expect(summary).toContainText("12 results stored", { timeout: 60_000 });
    await expect(summary).toContainText("11 succeeded");
    await expect(summary).toContainText("data_inspection_failed");
    const prompt = num(await summary.locator("dt:text-is('Prompt') + dd").innerText());
    const completion = num(await summary.locator("dt:text-is('Completion') + dd").innerText());
    expect(prompt).toBeGreaterThan(0);
    const expected = (prompt * 2 + completion * 8) / 1e6;
    expect(num(await summary.getByTestId("actual-cost").innerText())).toBeCloseTo(expected, 4);
  });
});

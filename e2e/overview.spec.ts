// The overview and a running batch's ETA, in Chromium against the real server and its sandbox: the
// overview is the first page after sign-in; a batch of 400 requests (150 ms each in the sandbox)
// shows an ETA range with requests per minute on its page and on the overview, the time in each
// state, then ends; the overview lists it as finished since the last visit, charts its spend at the
// team's price and sends it as CSV; a budget warns at 80% and 100%, and once an admin chooses to
// refuse, the launch form says so and a launch is refused with the figures.
// E2E_SCREENSHOTS=<dir> keeps pictures at 1280 and 390 px (docs/screenshots holds the ones committed).
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { chooseUpload, download, makeLines, newAccount, signUp, writeJsonl } from "./helpers";

const shots = process.env.E2E_SCREENSHOTS;

async function shoot(page: Page, name: string) {
  if (!shots) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    await page.waitForTimeout(300); // recharts measures its container after a resize
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe.serial("overview, ETA and budgets", () => {
  let page: Page;
  let batchUrl = "";
  const NAME = "Nightly translations";

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signUp(page, newAccount("Overseer"));
  });
  test.afterAll(() => page.close());

  test("the overview is the first page after sign-in", async () => {
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByText("No batch is running.")).toBeVisible();
    await expect(page.getByText("This is your first visit")).toBeVisible();
    await expect(page.getByText(/No monthly budget set\./)).toBeVisible();

    // The team's price for the sandbox's model, so that its batches cost something.
    await page.goto("/prices");
    await page.getByRole("button", { name: "Add a price" }).click();
    await page.getByLabel("Provider").selectOption("sandbox");
    await page.getByLabel("Model").fill("batch-test-model");
    await page.getByLabel("Input price per 1M tokens").fill("2000");
    await page.getByLabel("Output price per 1M tokens").fill("8000");
    await page.getByRole("button", { name: "Save price" }).click();
    await expect(page.getByTestId("team-price")).toHaveCount(1);
  });

  test("a running batch shows an ETA range, requests per minute and the time in each state, then ends", async () => {
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("overview-400.jsonl", makeLines(400, { fail: [7, 70] })));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 400 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Name", { exact: true }).fill(NAME);
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    batchUrl = new URL(page.url()).pathname;

    const panel = page.getByRole("heading", { name: "While it runs" }).locator("xpath=ancestor::div[contains(@class,'rounded-lg')][1]");
    await expect(panel).toBeVisible();
    // None until it can be estimated, then a range and how sure.
    const eta = panel.getByTestId("eta");
    await expect(eta).toHaveText(/Ends in (about )?\d+ (s|min)( – \d+ (s|min))? \(likely \d\d:\d\d( [AP]M)?\), a (rough|fair|good) estimate\./, { timeout: 50_000 });
    await expect(panel).toContainText(/\d+(\.\d)? requests\/min recently/);
    await expect(panel.getByRole("list", { name: "Time in each state" })).toContainText(/In progress \(now\)\s*\d+ s/);
    // The progress chart's time axis: evenly spaced ticks.
    const ticks = await page.locator(".recharts-xAxis .recharts-cartesian-axis-tick").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    const gaps = ticks.slice(1).map((x, i) => Math.round(x - ticks[i]));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(2);
    await shoot(page, "batch-running");

    await page.goto("/overview");
    const active = page.getByRole("list", { name: "Active batches" });
    await expect(active).toContainText(NAME);
    await expect(active.getByTestId("eta")).toHaveText(/Ends in .* estimate\./, { timeout: 30_000 });
    await expect(active.getByRole("progressbar")).toBeVisible();
    await shoot(page, "overview-running");

    // The overview keeps itself fresh: the batch leaves the active list when it ends.
    await expect(page.getByText("No batch is running.")).toBeVisible({ timeout: 90_000 });
  });

  test("the overview then lists it as finished since the last visit, with its spend, errors and CSV", async () => {
    await page.goto(batchUrl);
    await expect(page.getByRole("heading", { name: "How it ran" })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("usage-so-far")).toContainText(/[\d,]+ tokens over 400 stored results, \$[\d.,]+/, { timeout: 60_000 });
    // Once over, the run's whole length, not a final state of "0 s".
    const states = page.getByRole("list", { name: "Time in each state" });
    await expect(states).toContainText(/In progress\s*\d+ (s|min)/);
    await expect(states).toContainText(/Total\s*\d+ (s|min)/);
    await expect(states).not.toContainText("Completed");

    await page.goto("/overview?period=7d&by=model");
    const finished = page.getByRole("list", { name: "Finished since your last visit" });
    await expect(finished).toContainText(NAME);
    await expect(finished).toContainText("Completed");
    await expect(page.getByRole("img", { name: "Spend per day by model" })).toBeVisible();
    await expect(page.locator(".recharts-bar-rectangle")).not.toHaveCount(0);
    await expect(page.getByRole("list", { name: "Error codes" })).toContainText(/^data_inspection_failed\s*2$/);
    await expect(page.getByText(/^99\.5%$/)).toBeVisible(); // 398 of 400 succeeded
    const { text, download: file } = await download(page, page.getByRole("link", { name: "Download CSV" }));
    expect(file.suggestedFilename()).toBe("spend-last-7-days-by-model.csv");
    expect(text.split("\r\n")[0]).toBe("period_start,model,model_label,currency,cost,tokens");
    expect(text).toMatch(/\r\n\d{4}-\d\d-\d\dT00:00:00\.000Z,batch-test-model,batch-test-model,USD,\d+\.\d{6},\d+\r\n$/);
    await shoot(page, "overview");
    // The visit is marked: opening it again lists nothing new.
    await page.reload();
    await expect(page.getByText("Nothing finished meanwhile.")).toBeVisible();

    // The batches list: its model, requests, tokens, cost and duration, and a filter in the address.
    await page.goto("/batches");
    const row = page.getByRole("row").filter({ hasText: NAME });
    await expect(row).toContainText("batch-test-model");
    await expect(row).toContainText(/400\s*\d+(\.\d)?k\s*\$[\d.,]+\s*\d+ (s|min)/);
    await page.getByLabel("Status").selectOption("failed");
    await expect(page).toHaveURL(/\/batches\?status=failed$/);
    await expect(page.getByText("No batch matches these filters")).toBeVisible();
    await page.getByRole("link", { name: "Clear filters" }).first().click();
    await expect(row).toBeVisible();
    await shoot(page, "batches-list");
  });

  test("a budget warns at 80% and 100%, and refusing launches beyond it is enforced with the figures", async () => {
    await page.goto("/overview");
    const spend = Number((await page.locator("xpath=//p[normalize-space()='Spend']/following-sibling::p[1]").innerText()).replace(/[^\d.]/g, ""));
    expect(spend).toBeGreaterThan(0);
    await page.goto("/team");
    const form = page.getByRole("form", { name: "Team budget" });
    // A refused budget stays in its box beside the reason.
    await form.getByLabel("Monthly budget").fill("-5");
    await form.getByRole("button", { name: "Save budget" }).click();
    await expect(form.getByText("A budget cannot be negative.")).toBeVisible();
    await expect(form.getByLabel("Monthly budget")).toHaveValue("-5");
    await form.getByLabel("Monthly budget").fill(String(Math.ceil((spend / 0.9) * 10000) / 10000));
    await form.getByRole("button", { name: "Save budget" }).click();
    await expect(form.getByText("Saved.")).toBeVisible();
    await page.goto("/overview");
    await expect(page.getByRole("status").filter({ hasText: /^(8\d|9\d)% used: \$[\d.,]+ left this month\.$/ })).toBeVisible();

    await page.goto("/team");
    await form.getByLabel("Monthly budget").fill(String(spend / 2));
    await form.getByLabel(/Refuse launches beyond the budget/).check();
    await form.getByRole("button", { name: "Save budget" }).click();
    await expect(form.getByText("Saved.")).toBeVisible();
    await page.goto("/overview");
    await expect(page.getByRole("status").filter({ hasText: /^Budget used up \(\d+%\)\.$/ })).toBeVisible();
    await expect(page.getByText("Launches beyond what is left are refused.")).toBeVisible();

    await page.goto("/batches/new");
    const estimate = page.getByTestId("cost-estimate");
    await expect(estimate.getByRole("list", { name: "Budget" })).toContainText(/The team's budget: \$0\.00 left of \$[\d.,]+ this month; this launch ≈ \$[\d.,]+ would bring it to \d+%\. Launching will be refused/);
    await shoot(page, "launch-budget");
    await page.getByLabel("Name", { exact: true }).fill("Beyond the budget");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Launch refused" })).toContainText(/Launch refused: the team's monthly budget of \$[\d.,]+ is used up \(\$[\d.,]+ spent in \d{4}-\d\d\)/);
    await expect(page).toHaveURL(/\/batches\/new/);
  });
});

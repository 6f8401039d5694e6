// Import history in the browser: a fresh account's batches are made directly on the built-in Sandbox
// through the official openai SDK (as a script or the provider's console would, not through
// Batchboard), then imported from the providers page; they join the batches list marked
// "Imported", with their prompts beside their results, and a second visit shows them imported.
//
// The sandbox key of the new team is an HMAC of its id under AUTH_SECRET (lib/providers/sandbox/keys.ts): the
// spec reads the id from the team switcher and the secret from the app's data folder, as an admin
// who can read the server's files could.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import OpenAI, { toFile } from "openai";
import { BASE_URL, batchHeader, newAccount, requestLine, signUp, stat, sandboxKey, resultRows } from "./helpers";

const account = newAccount("Ivan");
const PROMPTS = ["What is the capital of Chile?", "[fail] Name a prime number.", "How many days has a week?"];

let ctx: BrowserContext;
let page: Page;


/** A batch made on the sandbox directly, outside Batchboard. */
async function providerBatch(sdk: OpenAI, name: string, prompts: string[]) {
  const text = prompts.map((p, i) => requestLine({ custom_id: `${name.toLowerCase().replace(/\W+/g, "-")}-${i + 1}`, prompt: p })).join("\n") + "\n";
  const file = await sdk.files.create({ file: await toFile(Buffer.from(text), `${name}.jsonl`), purpose: "batch" });
  return sdk.batches.create({
    input_file_id: file.id,
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
    metadata: { name, sandbox_ms_per_request: "5" },
  });
}

test.describe.serial("Import history", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("batches made on the provider directly are imported from the providers page, with their results", async () => {
    await signUp(page, account);
    // The current team's id, from the team switcher (the team cookie is only set on a switch).
    const teamId = await page.getByLabel("Team", { exact: true }).inputValue();
    expect(teamId).toBeTruthy();
    const sdk = new OpenAI({ baseURL: `${BASE_URL}/api/sandbox/v1`, apiKey: sandboxKey(teamId!), maxRetries: 0 });
    const made = [];
    for (const name of ["Nightly eval", "Support replies", "Translations"]) made.push(await providerBatch(sdk, name, PROMPTS));

    await page.goto("/providers");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Sandbox", exact: true }) });
    await card.getByRole("link", { name: "Import history →" }).click();
    await expect(page).toHaveURL(/\/providers\/[^/]+\/import$/);
    await expect(page.getByRole("heading", { name: "Import history from Sandbox" })).toBeVisible();
    await expect(page.getByText(/3 batches\s+on Sandbox/)).toBeVisible();
    for (const b of made) await expect(page.locator(`tr[data-provider-batch="${b.id}"]`)).toContainText("Not imported");
    await page.screenshot({ path: "test-results/import-list.png", fullPage: true });

    await page.getByRole("button", { name: "Select all not yet imported (3)" }).click();
    await page.getByRole("button", { name: "Import 3 batches" }).click();
    await expect(page.getByRole("status")).toContainText("Imported 3 batches.");
    for (const b of made) await expect(page.locator(`tr[data-provider-batch="${b.id}"]`).getByRole("link", { name: "Imported: open batch →" })).toBeVisible();
    await page.screenshot({ path: "test-results/import-done.png", fullPage: true });

    // In the batches list, marked as imported.
    await page.goto("/batches");
    for (const name of ["Nightly eval", "Support replies", "Translations"]) {
      await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Imported");
    }
    await page.screenshot({ path: "test-results/import-batches-list.png", fullPage: true });

    // Its results, beside the prompts of the provider's input file.
    await page.getByRole("link", { name: "Nightly eval" }).click();
    const header = batchHeader(page);
    await expect(header.getByRole("heading", { name: "Nightly eval" })).toBeVisible();
    await expect(header.getByText("Imported", { exact: true })).toBeVisible();
    await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(stat(page, "Failed")).toHaveText("1");
    await expect(header.getByText("live", { exact: true })).toBeHidden({ timeout: 30_000 }); // every result stored
    await expect(resultRows(page)).toHaveCount(3);
    const first = resultRows(page).filter({ hasText: "nightly-eval-1" });
    await expect(first.getByRole("cell").nth(1)).toHaveText(PROMPTS[0]);
    await expect(first.getByRole("cell").nth(2)).toHaveText(`This is a test result. You said: "${PROMPTS[0]}"`);
    await page.screenshot({ path: "test-results/import-batch.png", fullPage: true });

    // A second visit: all three are in Batchboard already, nothing left to import.
    await page.goBack();
    await page.goto("/providers");
    await card.getByRole("link", { name: "Import history →" }).click();
    await expect(page.getByText(/3 batches\s+on Sandbox, 3 already in Batchboard/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Select all not yet imported (0)" })).toBeDisabled();
    await expect(page.getByRole("link", { name: "Open batch →" })).toHaveCount(3);
  });

  test("a Bailian connection offers Bailian's own filters, checks them before asking, and says when the provider cannot be reached", async () => {
    await page.goto("/providers");
    await expect(page.getByRole("heading", { name: "Sandbox", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Add connection" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a provider connection" });
    await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Alibaba Bailian (DashScope)" });
    await dialog.getByLabel("API key").fill("sk-not-a-real-bailian-key-0000");
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Alibaba Bailian (DashScope)", exact: true }) });
    await page.screenshot({ path: "test-results/import-providers.png", fullPage: true });
    await card.getByRole("link", { name: "Import history →" }).click();

    for (const label of ["Task name contains", "Input file ids", "Status", "Created after", "Created before"]) {
      await expect(page.getByLabel(label, { exact: true })).toBeVisible();
    }
    await expect(page.getByLabel("Search", { exact: true })).toHaveCount(0);
    // No network here: the provider cannot be reached, and the page says so.
    await expect(page.getByRole("alert").filter({ hasText: "did not list its batches" })).toBeVisible();

    await page.getByLabel("Created after", { exact: true }).fill("2026-01-01");
    await page.getByLabel("Status", { exact: true }).fill("completed,done");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/create_after=2026-01-01/);
    await expect(page.getByText(/create_after must be a date as yyyyMMddHHmmss \(UTC\)/).first()).toBeVisible();
    await expect(page.getByText('Unknown status "done"').first()).toBeVisible();
    await page.screenshot({ path: "test-results/import-bailian-filters.png", fullPage: true });

    // A filter Bailian does not take, typed into the address, is refused by name.
    await page.goto(page.url().replace(/\?.*$/, "?search=x"));
    await expect(page.getByRole("alert").filter({ hasText: 'does not take the filter "search"' })).toBeVisible();
  });
});

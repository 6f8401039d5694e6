// Import history from Anthropic in the browser: a fresh account adds an Anthropic connection on the
// sandbox's imitation of Anthropic, two Message Batches are made on that "account" directly through
// the official @anthropic-ai/sdk (as a script or Anthropic's console would, not through Batchboard),
// then imported from the connection's Import history page. The page says up front that Anthropic
// keeps no requests; the batches end with their results (without prompts) and a second visit shows
// them in Batchboard already.
//
// The sandbox key of the new team is an HMAC of its id under AUTH_SECRET (lib/providers/sandbox/keys.ts): the
// spec reads the id from the team switcher and the secret from the app's data folder, as an admin
// who can read the server's files could.
import fs from "node:fs";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import Anthropic from "@anthropic-ai/sdk";
import { BASE_URL, addImitation, batchHeader, newAccount, sandboxKey, signUp, stat } from "./helpers";

const account = newAccount("Grace");
const CONNECTION = "Claude history";
const PROMPTS = ["What is the capital of Peru?", "[fail] Name a colour.", "How many legs has a spider?"];
/** Screenshots to look at, outside test-results (which every run empties). */
const SHOTS = process.env.SHOTS_DIR ?? "test-results";

let ctx: BrowserContext;
let page: Page;

/** A Message Batch made on the account directly: the prompts as custom_ids `<tag>-1..n`. */
function providerBatch(sdk: Anthropic, tag: string) {
  return sdk.messages.batches.create({
    requests: PROMPTS.map((content, i) => ({
      custom_id: `${tag}-${i + 1}`,
      params: { model: "claude-test", max_tokens: 200, messages: [{ role: "user" as const, content }] },
    })),
  });
}

test.describe.serial("Import history from Anthropic", () => {
  test.beforeAll(async ({ browser }) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("Message Batches made on the account directly are imported with their results", async () => {
    await signUp(page, account);
    const teamId = await page.getByLabel("Team", { exact: true }).inputValue();
    expect(teamId).toBeTruthy();
    const card = await addImitation(page, "Anthropic", CONNECTION);

    const sdk = new Anthropic({ baseURL: `${BASE_URL}/api/sandbox/anthropic`, apiKey: sandboxKey(teamId!), maxRetries: 0, defaultHeaders: { "x-api-key": sandboxKey(teamId!), "anthropic-version": "2023-06-01", Authorization: null } });
    const made = [await providerBatch(sdk, "eval"), await providerBatch(sdk, "replies")];

    await card.getByRole("link", { name: "Import history →" }).click();
    await expect(page).toHaveURL(/\/providers\/[^/]+\/import$/);
    const importPage = page.url();
    await expect(page.getByRole("heading", { name: `Import history from ${CONNECTION}` })).toBeVisible();
    // Said before anything is imported: the prompts cannot come along.
    await expect(page.getByText("Results only, without prompts.")).toBeVisible();
    await expect(page.getByText(new RegExp(`2 batches\\s+on ${CONNECTION}`))).toBeVisible();
    for (const b of made) {
      const row = page.locator(`tr[data-provider-batch="${b.id}"]`);
      await expect(row).toContainText("Not imported");
      await expect(row).toContainText("/v1/messages");
    }
    await page.screenshot({ path: `${SHOTS}/import-anthropic-list.png`, fullPage: true });

    await page.getByRole("button", { name: "Select all not yet imported (2)" }).click();
    await page.getByRole("button", { name: "Import 2 batches" }).click();
    await expect(page.getByRole("status")).toContainText("Imported 2 batches.");
    for (const b of made) await expect(page.locator(`tr[data-provider-batch="${b.id}"]`).getByRole("link", { name: "Imported: open batch →" })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/import-anthropic-done.png`, fullPage: true });

    // The batch: synced to its end by the worker, with every result under its custom_id.
    await page.locator(`tr[data-provider-batch="${made[0].id}"]`).getByRole("link", { name: "Imported: open batch →" }).click();
    const header = batchHeader(page);
    await expect(header.getByRole("heading", { name: `Imported ${made[0].id}` })).toBeVisible();
    await expect(header.getByText("Imported", { exact: true })).toBeVisible();
    await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(stat(page, "Failed")).toHaveText("1");
    await expect(header.getByText("live", { exact: true })).toBeHidden({ timeout: 30_000 }); // every result stored
    const rows = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "custom_id" }) }).locator("tbody tr");
    await expect(rows).toHaveCount(3);
    const first = rows.filter({ hasText: "eval-1" });
    await expect(first.getByRole("cell").nth(2)).toHaveText(`This is a test result. You said: "${PROMPTS[0]}"`);
    // No prompt beside it: Anthropic gave none back.
    await expect(first.getByRole("cell").nth(1)).toHaveText("—");
    await expect(rows.filter({ hasText: "eval-2" })).toContainText("Input data may contain inappropriate content.");
    await page.screenshot({ path: `${SHOTS}/import-anthropic-batch.png`, fullPage: true });

    // Its input file (the batch page leads to the files list) says why it is empty.
    await page.getByRole("link", { name: `Requests of ${made[0].id} (not kept by Anthropic)` }).click();
    await expect(page).toHaveURL(/\/files$/);
    await page.getByRole("link", { name: `Requests of ${made[0].id} (not kept by Anthropic)` }).click();
    await expect(page).toHaveURL(/\/files\/[^/]+$/);
    await expect(page.getByText(/Anthropic keeps no input file for a Message Batch/).first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/import-anthropic-input.png`, fullPage: true });

    // A second visit: both are in Batchboard already.
    await page.goto(importPage);
    await expect(page.getByText(new RegExp(`2 batches\\s+on ${CONNECTION}, 2 already in Batchboard`))).toBeVisible();
    await expect(page.getByRole("button", { name: "Select all not yet imported (0)" })).toBeDisabled();
    await expect(page.getByRole("link", { name: "Open batch →" })).toHaveCount(2);
  });
});

// Anthropic Message Batches in the browser: a fresh account adds a "Custom Anthropic-compatible"
// connection pointing at the sandbox's imitation of Anthropic's API, tests it, uploads a
// chat-completions file, launches it there (the form says it is sent as Messages on a fixed 24h
// window), and sees the batch end with its answers and its one error.
//
// The sandbox key of the new team is an HMAC of its id under AUTH_SECRET (lib/providers/sandbox/keys.ts): the
// spec reads the id from the team cookie and the secret from the app's data folder, as an admin
// who can read the server's files could.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import os from "node:os";
import path from "node:path";
import { BASE_URL, batchHeader, chooseUpload, makeLines, newAccount, signUp, stat, writeJsonl, sandboxKey, resultRows } from "./helpers";

const account = newAccount("Ada");
const LINES = makeLines(6, { prefix: "claude", fail: [4] });

/** Screenshots to look at, outside test-results (which every run empties). */
const shot = (name: string) => path.join(os.tmpdir(), "batchboard-anthropic-shots", `${name}.png`);

let ctx: BrowserContext;
let page: Page;


test.describe.serial("Anthropic Message Batches", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext();
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("add an Anthropic-compatible connection to the sandbox, upload, launch, see the results", async () => {
    await signUp(page, account);
    const teamId = await page.getByLabel("Team").inputValue(); // the team switcher's value
    expect(teamId).toBeTruthy();

    // The Anthropic kinds are offered; Anthropic itself is fixed to its own URL.
    await page.goto("/providers");
    await page.getByRole("button", { name: "Add connection" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a provider connection" });
    await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Anthropic" });
    await expect(dialog.getByLabel("Base URL")).toHaveValue("https://api.anthropic.com");
    await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Custom Anthropic-compatible" });
    await expect(dialog.getByText("The base URL without /v1")).toBeVisible();
    await dialog.getByLabel("Name", { exact: true }).fill("Claude (sandbox)");
    await dialog.getByLabel("Base URL").fill(`${BASE_URL}/api/sandbox/anthropic`);
    await dialog.getByLabel("API key").fill(sandboxKey(teamId!));
    await page.screenshot({ path: shot("add-connection") });
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();

    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Claude (sandbox)", exact: true }) });
    await expect(card).toContainText("Custom Anthropic-compatible");
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card).toContainText(/OK\s*Connected\. The key works \(Message Batches listed\)/);

    await page.goto("/files");
    await chooseUpload(page, writeJsonl("claude-6.jsonl", LINES));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 6 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();

    await page.getByLabel("Provider connection").selectOption({ label: "Claude (sandbox) (Custom Anthropic-compatible)" });
    await expect(page.getByText("Sent as /v1/messages (Message Batches), each request converted.")).toBeVisible();
    await expect(page.getByLabel("Completion window").locator("option")).toHaveText(["24h"]);
    await expect(page.getByText("Fixed by Anthropic: a batch ends within 24 hours.")).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill("Claude batch");
    await page.screenshot({ path: shot("launch-form"), fullPage: true });
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);

    const header = batchHeader(page);
    await expect(header.getByRole("heading", { name: "Claude batch" })).toBeVisible();
    await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(stat(page, "Requests")).toHaveText("6");
    await expect(stat(page, "Completed")).toHaveText("5");
    await expect(stat(page, "Failed")).toHaveText("1");
    await expect(page.getByText("6 stored: 5 succeeded, 1 failed", { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator("dl").filter({ hasText: "Provider batch id" })).toContainText("msgbatch_");

    const rows = resultRows(page);
    await expect(rows).toHaveCount(6);
    const first = rows.filter({ has: page.getByRole("cell", { name: "claude-001", exact: true }) });
    await expect(first.getByRole("cell").nth(2)).toHaveText(`This is a test result. You said: "${LINES[0].prompt}"`);
    const failed = rows.filter({ has: page.getByRole("cell", { name: "claude-004", exact: true }) });
    await expect(failed.getByRole("cell").nth(2)).toContainText("invalid_request_error");
    await page.screenshot({ path: shot("batch"), fullPage: true });
  });
});

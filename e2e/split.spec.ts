// Splitting in the browser: a fresh account adds a Custom OpenAI-compatible connection pointing at
// the sandbox, sets its max requests to 4, uploads a 10-request file checked for it (valid, with the
// note that it will be a job of parts) and launches it there. The
// launch form shows the plan (3 batches: lines 1–4, 5–8, 9–10) instead of a dead end; "Launch as 3
// batches" lands on the job page, whose parts run to the end with combined progress; the combined
// CSV has every result once; a part's batch page and the batches list say which part it is.
//
// The connection uses the new team's sandbox key (helpers.ts: sandboxKey, from the team switcher's id).
import { expect, test } from "@playwright/test";
import path from "node:path";
import { addSplittingConnection, chooseUpload, download, makeLines, newAccount, nonEmptyLines, signUp, stat, writeJsonl } from "./helpers";

const account = newAccount("Split");
const shotDir = process.env.SHOTS_DIR ?? "/tmp/shots-split";
const shot = (name: string) => path.join(shotDir, `${name}.png`);

test("a file over a connection's max requests is launched as a job of 3 batches", async ({ page }) => {
  await signUp(page, account);
  const teamId = await page.getByLabel("Team").inputValue();

  // A connection that takes 4 requests a batch.
  await addSplittingConnection(page, teamId, "Acme", 4);

  // A 10-request file checked for Acme: valid, over its 4 a batch, with the note that it will be a
  // job of parts; launched on Acme, the form shows the plan instead of a dead end.
  await page.goto("/files");
  await page.getByLabel("Check for").selectOption({ label: "Acme (Custom OpenAI-compatible)" });
  await chooseUpload(page, writeJsonl("split-10.jsonl", makeLines(10)));
  const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
  await expect(outcome).toContainText("Valid: 10 requests");
  await expect(page.getByRole("note").filter({ hasText: "launched as a job of parts" })).toContainText(
    "Line 5: This is request 5, over Acme (Custom OpenAI-compatible)'s limit of 4 per batch: the file will be launched as a job of parts",
  );
  await outcome.getByRole("link", { name: "Launch a batch" }).click();
  await page.getByLabel("Provider connection").selectOption({ label: "Acme (Custom OpenAI-compatible) (as several batches)" });
  const plan = page.getByRole("status", { name: "Split plan" });
  await expect(plan).toContainText("This file is over Acme's limit of 4 requests per batch: launch it as 3 batches (parts of about 3 requests");
  const rows = plan.locator("tbody tr");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("1–4");
  await expect(rows.nth(1)).toContainText("5–8");
  await expect(rows.nth(2)).toContainText("9–10");
  await expect(page.getByText("10 requests to Acme in 3 batches")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Split job");
  await page.screenshot({ path: shot("launch-form-plan"), fullPage: true });
  await page.getByRole("button", { name: "Launch as 3 batches" }).click();

  // The job page: three parts, run to the end, combined.
  await expect(page).toHaveURL(/\/jobs\/job_[0-9a-f]+$/);
  await expect(page.getByRole("heading", { name: "Split job" })).toBeVisible();
  await expect(page.getByText("Job of 3 batches")).toBeVisible();
  const parts = page.locator("table").last().locator("tbody tr");
  await expect(parts).toHaveCount(3);
  await expect(stat(page, "Requests")).toHaveText("10");
  await expect(stat(page, "Done")).toHaveText("100%", { timeout: 60_000 });
  await expect(page.locator("main header")).toContainText("Completed", { timeout: 30_000 });
  await expect(parts.nth(2)).toContainText("9–10");
  await expect(page.getByRole("link", { name: "Export CSV (all parts)" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("Results stored", { exact: true }).locator("xpath=..")).toContainText("10", { timeout: 30_000 });
  // The summary of all parts together: every request succeeded.
  await expect(page.getByText("Summary of all parts")).toBeVisible();
  await expect(page.locator("main")).toContainText("10 succeeded (100%)");
  await page.screenshot({ path: shot("job-page"), fullPage: true });

  const { text } = await download(page, page.getByRole("link", { name: "Export CSV (all parts)" }));
  const lines = nonEmptyLines(text);
  expect(lines[0]).toMatch(/^custom_id,/);
  expect(lines.filter((l) => l.startsWith("custom_id,"))).toHaveLength(1);
  expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(makeLines(10).map((l) => l.custom_id));

  // A part's own page says which part of which job it is.
  await page.getByRole("link", { name: "Part 2 of 3" }).click();
  await expect(page).toHaveURL(/\/batches\//);
  await expect(page.getByText("Part 2 of 3 of job")).toBeVisible();
  await page.screenshot({ path: shot("part-batch-page"), fullPage: true });
  await page.getByRole("link", { name: "Split job" }).first().click();
  await expect(page).toHaveURL(/\/jobs\//);

  // The batches list labels each part.
  await page.goto("/batches");
  for (const n of [1, 2, 3]) await expect(page.getByRole("link", { name: `Part ${n} of 3` })).toBeVisible();
  await page.screenshot({ path: shot("batches-list"), fullPage: true });
});

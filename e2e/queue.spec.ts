// Queued job parts in the browser: a Custom OpenAI-compatible connection on the sandbox takes 4
// requests a batch and, by its Queue limits form, one unfinished batch at a time. A 10-request file
// launched there as 3 batches starts part 1 and queues parts 2 and 3; the job page says why they
// wait ("waiting for unfinished batches < 1 …") and offers Cancel per queued part. Part 3 is
// cancelled; part 2 launches by itself once part 1 has ended (the worker), and "Launch remaining
// parts" is offered for the cancelled one. A launch with "Start at" tomorrow waits as Scheduled.
// Screenshots at desktop (1280) and phone (390) width.
import { expect, test, type Page } from "@playwright/test";
import path from "node:path";
import { addSplittingConnection, chooseUpload, makeLines, newAccount, signUp, writeJsonl } from "./helpers";

const account = newAccount("Queue");
const shotDir = process.env.SHOTS_DIR ?? "/tmp/shots-queue";
const shot = (name: string) => path.join(shotDir, `${name}.png`);

async function shots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: shot(`${name}-desktop`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shot(`${name}-phone`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function uploadAndOpenLaunch(page: Page, name: string, lines: number) {
  await page.goto("/files");
  await chooseUpload(page, writeJsonl(name, makeLines(lines)));
  const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
  await expect(outcome).toContainText(`Valid: ${lines} requests`);
  await outcome.getByRole("link", { name: "Launch a batch" }).click();
}

test("parts over a connection's unfinished-batch limit wait in the queue, say why, and launch as room frees; a scheduled launch waits for its time", async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, account);
  const teamId = await page.getByLabel("Team").inputValue();
  const card = await addSplittingConnection(page, teamId, "Acme", 4);

  // The limits form is closed once its save has finished (its button hides as soon as it saves).
  await expect(card.getByLabel("Max requests per file")).toBeHidden();
  // The queue limits: one unfinished batch at a time.
  await card.getByRole("button", { name: "Queue limits" }).click();
  await card.getByLabel("Unfinished batches at most").fill("1");
  await card.getByRole("button", { name: "Save queue limits" }).click();
  await expect(card.getByText("Queue limits: at most 1 unfinished batch")).toBeVisible();
  await card.getByRole("button", { name: "Queue limits" }).click();
  await expect(card.getByLabel("Unfinished batches at most")).toHaveValue("1");
  await shots(page, "queue-limits-form");
  await card.getByRole("button", { name: "Cancel", exact: true }).click();

  await uploadAndOpenLaunch(page, "queue-10.jsonl", 10);
  await page.getByLabel("Provider connection").selectOption({ label: "Acme (Custom OpenAI-compatible) (as several batches)" });
  await expect(page.getByTestId("queue-note")).toContainText("Acme runs at most 1 unfinished batch at once. A launch over that waits in the queue instead of failing");
  await page.getByLabel("Name", { exact: true }).fill("Queued job");
  await page.getByRole("button", { name: "Launch as 3 batches" }).click();

  // The job page: part 1 runs, parts 2 and 3 wait, and the page says why.
  await expect(page).toHaveURL(/\/jobs\/job_[0-9a-f]+$/);
  const panel = page.getByTestId("waiting-panel");
  await expect(panel).toContainText("2 parts wait in the queue: waiting for unfinished batches < 1 on Acme (1 unfinished now).");
  const part2 = page.getByTestId("queued-part-2");
  const part3 = page.getByTestId("queued-part-3");
  await expect(part2).toContainText("Queued");
  await expect(part2).toContainText("5–8");
  await expect(part2).toContainText("Waiting for unfinished batches < 1 on Acme");
  await expect(part3).toContainText("Waiting for the part before it");
  await shots(page, "job-queued");

  // Cancel part 3: it will not launch.
  await part3.getByRole("button", { name: "Cancel part 3" }).click();
  await expect(part3).toContainText("Cancelled");
  await expect(part3.getByRole("button")).toHaveCount(0);

  // Part 1 ends; the worker launches part 2 by itself (room is looked at again every 15 s).
  await expect(page.getByRole("link", { name: "Part 2 of 3" })).toBeVisible({ timeout: 60_000 });
  await expect(panel).toBeHidden();
  await expect(page.getByRole("button", { name: "Launch remaining parts (1)" })).toBeVisible();
  await expect(page.locator("main")).toContainText("2 of 3 parts launched; one part was not.");
  await shots(page, "job-after-queue");

  // A launch with a start time waits as Scheduled on its job page and can be cancelled.

  await uploadAndOpenLaunch(page, "nightly-3.jsonl", 3);
  await page.getByLabel("Provider connection").selectOption({ label: "Acme (Custom OpenAI-compatible)" });
  const tomorrow = new Date(Date.now() + 24 * 3600_000);
  const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel("Start at (optional)").fill(local);
  await page.getByLabel("Name", { exact: true }).fill("Nightly run");
  await shots(page, "launch-start-at");
  await page.getByRole("button", { name: "Schedule batch" }).click();

  await expect(page).toHaveURL(/\/jobs\/job_[0-9a-f]+$/);
  await expect(page.locator("main header")).toContainText("Scheduled");
  await expect(page.getByTestId("waiting-panel")).toContainText("Part 1 of 1 waits to start at");
  await expect(page.getByTestId("queued-part-1")).toContainText("Starts at");
  await shots(page, "job-scheduled");
  await page.getByRole("button", { name: "Cancel part 1" }).click();
  await expect(page.getByTestId("queued-part-1")).toContainText("Cancelled");
});

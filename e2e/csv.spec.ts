// From a spreadsheet to answers in Chromium: a new user uploads a CSV, maps its columns (chips insert
// placeholders), sees the first requests exactly as they will be sent, saves the mapping as a team
// template, sees a bad row reported by row and column, uses the template on a second CSV from the
// Templates page, and launches it on the built-in Sandbox to see the answers.
// E2E_SCREENSHOT_DIR=/some/folder also saves a screenshot of each state.
import { expect, test, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { BASE_URL, batchHeader, chooseUpload, newAccount, signUp, stat, tmpDir } from "./helpers";

const user = newAccount("Carla");
const SANDBOX_OPTION = "Sandbox (built-in test provider, no key needed)";
const shots = process.env.E2E_SCREENSHOT_DIR;

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: path.join(shots, `csv-${name}.png`), fullPage: true });
}

/** Writes a CSV into the run's temp folder (UTF-8 with a byte order mark, as Excel's "CSV UTF-8"). */
function writeCsv(name: string, text: string): string {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  return file;
}

const FIRST = writeCsvLater("questions.csv", 'id,question,lang\r\nq1,What is 2 + 2?,English\r\nq2,"Name a colour,\r\nthen a fruit.",French\r\nq3,首都是哪里？,中文\r\n');
const SECOND = writeCsvLater("more-questions.csv", "id,question,lang\r\nm1,How many legs has a spider?,English\r\nm2,Who wrote Hamlet?,German\r\nm3,[fail] Spell batch backwards,English\r\n");
const BROKEN = writeCsvLater("broken.csv", "id,question,lang\r\nb1,Fine,English\r\n,No id here,English\r\nb3,,English\r\n");

/** The runner loads this file to list the tests too: write files only when a test runs. */
function writeCsvLater(name: string, text: string) {
  return () => writeCsv(name, text);
}

test.describe.serial("CSV upload, templates and a run on the Sandbox", () => {
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    const ctx = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1400, height: 900 } });
    page = await ctx.newPage();
  });
  test.afterAll(async () => {
    await page?.context().close();
  });

  test("map a CSV's columns, preview the exact requests, save a template and upload", async () => {
    await signUp(page, user);
    await page.getByRole("link", { name: "Files", exact: true }).click();
    await shot(page, "1-files");
    await chooseUpload(page, FIRST());

    await expect(page.getByRole("heading", { name: "Map the CSV's columns to requests" })).toBeVisible();
    await expect(page.getByText("3 columns, comma-separated, read as UTF-8 (with a byte order mark)")).toBeVisible();
    // Guessed from the header: the id column and the question.
    await expect(page.getByLabel("custom_id column")).toHaveValue("id");
    await expect(page.getByLabel("Prompt template (the user message)")).toHaveValue("{{question}}");

    // A chip inserts its placeholder where the cursor is (here: in the system prompt).
    const system = page.getByLabel("System prompt (optional)");
    await system.fill("Answer in ");
    await system.press("End");
    await page.getByRole("button", { name: "{{lang}}" }).click();
    await expect(system).toHaveValue("Answer in {{lang}}");
    await page.getByLabel("Model").fill("batch-test-model");
    await page.getByLabel("Temperature").fill("0.3");
    await page.getByLabel("Provider extras (JSON, optional)").fill('{"enable_thinking": false}');

    const lines = page.getByTestId("preview-line");
    await expect(lines).toHaveCount(3);
    await expect(lines.first()).toHaveText(
      JSON.stringify({
        custom_id: "q1",
        method: "POST",
        url: "/v1/chat/completions",
        body: {
          model: "batch-test-model",
          messages: [
            { role: "system", content: "Answer in English" },
            { role: "user", content: "What is 2 + 2?" },
          ],
          temperature: 0.3,
          enable_thinking: false,
        },
      }),
    );
    // The quoted line break stays inside its cell: row 3 is the second request.
    await expect(lines.nth(1)).toContainText('"content":"Name a colour,\\r\\nthen a fruit."');
    await expect(page.getByRole("list", { name: "Preview of the requests" }).getByText("Row 4")).toBeVisible();
    await shot(page, "2-mapping");

    // A placeholder the header lacks is named before anything is sent.
    const template = page.getByLabel("Prompt template (the user message)");
    await template.fill("{{Question}}");
    await expect(page.getByRole("alert").filter({ hasText: "which the file does not have" })).toContainText('did you mean "question"?');
    await shot(page, "3-missing-column");
    await template.fill("{{question}}");

    await page.getByPlaceholder("Template name").fill("Questions by language");
    await page.getByRole("button", { name: "Save template" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved as" })).toHaveText('Saved as "Questions by language". Teammates can use it on their CSV files.');

    await page.getByRole("button", { name: "Convert and upload" }).click();
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 3 requests");
    await expect(outcome).toContainText("questions.csv · 3 rows");
    await shot(page, "4-uploaded");

    // The file page tells how it was read and numbers requests by spreadsheet row.
    await outcome.getByRole("link", { name: "View requests" }).click();
    await expect(page.getByRole("heading", { name: "From a CSV" })).toBeVisible();
    await expect(page.getByText("Template: Questions by language")).toBeVisible();
    const requestRows = page.getByRole("row");
    await expect(requestRows.nth(0)).toContainText("Row");
    await expect(requestRows.filter({ hasText: "q3" }).getByRole("cell").first()).toHaveText("4");
    await shot(page, "5-file-page");
  });

  test("a bad row is reported by row and column, and nothing is stored", async () => {
    await page.goto("/files");
    await chooseUpload(page, BROKEN());
    await page.getByLabel("Saved template").selectOption({ label: "Questions by language" });
    await expect(page.getByLabel("Model")).toHaveValue("batch-test-model");
    // The preview already says which rows will not be sent.
    await expect(page.getByText("The custom_id is empty. This row will be reported, not sent.")).toBeVisible();
    await page.getByRole("button", { name: "Convert and upload" }).click();
    const report = page.getByRole("alert").filter({ hasText: "broken.csv has" });
    await expect(report).toContainText("broken.csv has 2 problems");
    await expect(report.getByRole("columnheader")).toHaveText(["Row", "Column", "Problem"]);
    // As shown: the cell's copy of the column for phones (sm:hidden) is not part of the text at this width.
    await expect(report.getByRole("row").filter({ hasText: "custom_id is empty" }).getByRole("cell")).toHaveText(["3", "id", "The custom_id is empty"], { useInnerText: true });
    await expect(report.getByRole("row").filter({ hasText: "The prompt is empty" }).getByRole("cell").nth(1)).toHaveText("question");
    await shot(page, "6-problems");
  });

  test("use the saved template on a new CSV from the Templates page, launch it on the Sandbox and see the answers", async () => {
    await page.getByRole("link", { name: "Templates", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "CSV templates" })).toBeVisible();
    const item = page.getByRole("listitem").filter({ hasText: "Questions by language" });
    await expect(item).toContainText("batch-test-model");
    await expect(item).toContainText("Answer in {{lang}}");
    await shot(page, "7-templates");
    await item.getByRole("link", { name: "Use on a CSV" }).click();
    await expect(page).toHaveURL(/\/files\?template=/);
    await expect(page.getByText("A CSV will start from the template “Questions by language”")).toBeVisible();

    await chooseUpload(page, SECOND());
    await expect(page.getByLabel("Saved template")).toHaveValue(/.+/);
    await expect(page.getByLabel("System prompt (optional)")).toHaveValue("Answer in {{lang}}");
    await expect(page.getByTestId("preview-line").nth(1)).toContainText('{"role":"system","content":"Answer in German"}');
    await shot(page, "8-second-csv");
    await page.getByRole("button", { name: "Convert and upload" }).click();
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 3 requests");

    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await page.getByLabel("Completion window").selectOption("1h");
    await page.getByLabel("Name", { exact: true }).fill("CSV batch");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    await expect(batchHeader(page).getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(stat(page, "Completed")).toHaveText("2");
    await expect(stat(page, "Failed")).toHaveText("1");
    await expect(page.getByText("This is a test result.").first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText("How many legs has a spider?").first()).toBeVisible();
    await shot(page, "9-results");
  });
});

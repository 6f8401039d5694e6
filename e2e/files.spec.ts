// File management on /files, in a real browser on the built app: a valid upload says whose limits
// it was checked against; the same bytes again answer "already uploaded as" with a link instead of a
// second entry; a pretty-printed JSON array is named and converted to JSONL in one click; a file
// with more than 100 problems offers every one of them as CSV, a spreadsheet's too, by row; the list is searched and filtered;
// an upload that stored nothing is removed from the list; a file nothing uses shows so and is deleted.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { chooseUpload, download, makeLines, newAccount, requestLine, signUp, tmpDir, writeJsonl } from "./helpers";

test("files: checked for, already uploaded, JSON array converted, all problems as CSV, search, filters, remove and delete", async ({ page }) => {
  await signUp(page, newAccount("Files"));
  await page.goto("/files");

  // A valid file, then the same bytes under another name.
  const first = writeJsonl("first.jsonl", makeLines(3, { prefix: "f" }));
  await chooseUpload(page, first);
  const valid = page.getByRole("status").filter({ hasText: "Valid: 3 requests" });
  await expect(valid).toContainText("Checked for any provider (the loosest limits)");
  await page.getByRole("button", { name: "Upload another" }).click();
  const again = path.join(tmpDir(), "first-copy.jsonl");
  fs.copyFileSync(first, again);
  await chooseUpload(page, again);
  const dup = page.getByTestId("upload-duplicate");
  await expect(dup).toContainText("Already uploaded as first.jsonl");
  await expect(dup.getByRole("link", { name: "first.jsonl" })).toHaveAttribute("href", /\/files\/c/);
  await page.getByRole("button", { name: "Upload another" }).click();

  // A pretty-printed JSON array: one clear problem, then one click converts it.
  const array = path.join(tmpDir(), "requests.json");
  fs.writeFileSync(array, JSON.stringify(makeLines(4, { prefix: "arr" }).map((l) => JSON.parse(requestLine(l))), null, 2));
  await chooseUpload(page, array);
  const arrayReport = page.getByRole("alert").filter({ hasText: "requests.json has 1 problem" });
  await expect(arrayReport).toContainText("This is a JSON array, not JSON Lines");
  await arrayReport.getByRole("button", { name: "Convert to JSONL" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Valid: 4 requests" })).toContainText("requests.jsonl");
  await page.getByRole("button", { name: "Upload another" }).click();

  // 150 lines with the same custom_id: 149 problems, the first 100 listed, all of them as CSV.
  const many = writeJsonl("many.jsonl", Array.from({ length: 150 }, (_, i) => ({ custom_id: "same", prompt: `q${i}` })));
  await chooseUpload(page, many);
  const manyReport = page.getByRole("alert").filter({ hasText: "many.jsonl has 149 problems" });
  const csv = await download(page, manyReport.getByRole("link", { name: "All 149 problems (CSV)" }));
  const rows = csv.text.trimEnd().split("\r\n");
  expect(rows[0]).toBe("line,field,message");
  expect(rows).toHaveLength(150);

  // A spreadsheet with 130 rows that have no question: every one of them, from the file page, by row.
  await manyReport.getByRole("button", { name: "Upload a fixed file" }).click();
  const sheet = path.join(tmpDir(), "many-bad-rows.csv");
  fs.writeFileSync(sheet, ["id,question", ...Array.from({ length: 130 }, (_, i) => `r${i + 1},`), "ok,Is this one fine?"].join("\r\n") + "\r\n");
  await chooseUpload(page, sheet);
  await page.getByLabel("Model").fill("batch-test-model");
  await page.getByRole("button", { name: "Convert and upload" }).click();
  const sheetReport = page.getByRole("alert").filter({ hasText: "many-bad-rows.csv has 130 problems" });
  const fromPanel = await download(page, sheetReport.getByRole("link", { name: "All 130 problems (CSV)" }));
  expect(fromPanel.text.trimEnd().split("\r\n")).toHaveLength(131);
  await page.goto("/files?type=csv");
  await page.getByRole("link", { name: "many-bad-rows.csv" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "many-bad-rows.csv" })).toBeVisible();
  const sheetCsv = await download(page, page.getByRole("link", { name: "All problems (CSV)" }));
  const sheetRows = sheetCsv.text.trimEnd().split("\r\n");
  expect(sheetRows[0]).toBe("row,column,message");
  expect(sheetRows).toHaveLength(131);
  expect(sheetRows.slice(1).map((r) => Number(r.split(",")[0]))).toEqual(Array.from({ length: 130 }, (_, i) => i + 2));
  expect(sheetRows[130]).toMatch(/^131,question,"The prompt is empty/);

  // Search and filters: the address holds them.
  await page.goto("/files");
  await page.getByLabel("Search by name").fill("requests");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/files\?q=requests$/);
  await expect(page.getByRole("link", { name: "requests.jsonl" })).toBeVisible();
  await expect(page.getByRole("link", { name: "first.jsonl" })).toHaveCount(0);
  await page.goto("/files?status=invalid");
  await expect(page.getByRole("link", { name: "many.jsonl" })).toBeVisible();
  await expect(page.getByRole("link", { name: "requests.jsonl" })).toHaveCount(0);
  await page.goto("/files?type=csv&status=valid");
  await expect(page.getByText("No file matches this search.")).toBeVisible();
  await page.goto("/files?status=nope");
  await expect(page.getByText('The parameter "status" must be one of valid, invalid, failed, uploading')).toBeVisible();

  // An upload that stored nothing goes from the list at once.
  await page.goto("/files");
  await page.getByRole("button", { name: "Remove many.jsonl from the list" }).click();
  await page.getByRole("button", { name: "Remove many.jsonl", exact: true }).click();
  await expect(page).toHaveURL(/\/files$/);
  await expect(page.getByRole("link", { name: "many.jsonl" })).toHaveCount(0);
  // The launch form lists the first file once.
  await page.goto("/batches/new");
  await expect(page.locator('select[name="inputFileId"] option', { hasText: "first.jsonl" })).toHaveCount(1);

  // The file page: checked for, nothing uses it, deleted.
  await page.goto("/files");
  await page.getByRole("link", { name: "first.jsonl" }).click();
  // A detail page decides its 404 before its own Suspense boundary streams the rest (no loading.tsx above it).
  await expect(page).toHaveURL(/\/files\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "first.jsonl" })).toBeVisible();
  await expect(page.getByText("Checked for any provider (the loosest limits)")).toBeVisible();
  await expect(page.getByTestId("file-usage")).toHaveText("No batch, job or template uses this file.");
  await page.getByRole("button", { name: "Delete file" }).click();
  await page.getByRole("button", { name: "Delete “first.jsonl”" }).click();
  await expect(page).toHaveURL(/\/files$/);
  await expect(page.getByRole("link", { name: "first.jsonl" })).toHaveCount(0);
});

test("files in Simplified Chinese: the list, the upload panel and a JSON array's report", async ({ page, context }) => {
  await signUp(page, newAccount("FilesZh"));
  await context.addCookies([{ name: "bb_locale", value: "zh-CN", url: page.url() }]);
  await page.goto("/files");
  await expect(page.getByRole("heading", { level: 1, name: "文件" })).toBeVisible();
  await expect(page.getByText("上传批处理文件")).toBeVisible();
  const array = path.join(tmpDir(), "zh-requests.json");
  fs.writeFileSync(array, JSON.stringify(makeLines(2, { prefix: "zh" }).map((l) => JSON.parse(requestLine(l))), null, 2));
  await chooseUpload(page, array);
  const report = page.getByRole("alert").filter({ hasText: "zh-requests.json 有 1 个问题" });
  await expect(report.getByRole("columnheader")).toHaveText(["行", "字段", "问题"]);
  await report.getByRole("button", { name: "转换为 JSONL" }).click();
  await expect(page.getByRole("status").filter({ hasText: "有效：2 个请求" })).toContainText("已按任意提供商检查（最宽松的限制）");
});

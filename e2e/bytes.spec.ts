// Bad bytes and bad addresses, in a real browser on the built app: an upload with a NUL in a prompt,
// invalid UTF-8 and a PNG named .jsonl are listed as problems by line (never "Something went
// wrong"), the file page reads well at desktop and phone widths, and pages whose address holds a
// NUL, a page number out of range or a cursor not ours say so instead of failing. A file no batch
// ran on can be deleted, to make room under the team's quota.
// E2E_SCREENSHOTS=<dir> keeps the pictures (desktop 1280 px, phone 390 px) to look at; they are not
// part of the repository.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { chooseUpload, makeLines, newAccount, requestLine, signUp, tmpDir } from "./helpers";

const shots = process.env.E2E_SCREENSHOTS;

test("problems of bad bytes read well on the file page, at 1280 and 390 pixels", async ({ page }) => {
  await signUp(page, newAccount("Bytes"));
  await page.goto("/files");
  const lines = makeLines(9).map((l) => Buffer.from(requestLine(l)));
  // Line 4 saved as Windows-1252 ("café", é the single byte 0xE9); line 7 with a \u0000 in its prompt.
  lines[3] = Buffer.from(requestLine({ custom_id: "req-004", prompt: "café" }), "latin1");
  lines[6] = Buffer.from(requestLine({ custom_id: "req-007", prompt: "a\u0000b" }));
  const file = path.join(tmpDir(), "bytes.jsonl");
  fs.writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])));
  await chooseUpload(page, file);
  const report = page.getByRole("alert").filter({ hasText: "bytes.jsonl has" });
  await expect(report).toContainText("bytes.jsonl has 2 problems");
  await expect(report).toContainText("This line is not valid UTF-8 (its byte");
  await expect(report).toContainText("This line contains a NUL character (\\u0000), which cannot be stored. Remove it.");
  await expect(report).not.toContainText("Something went wrong");

  await page.goto("/files");
  await page.getByRole("link", { name: "bytes.jsonl" }).click();
  await expect(page.getByRole("heading", { name: "2 problems found" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "NUL character" })).toContainText("body.messages.0.content");
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    if (shots) await page.screenshot({ path: path.join(shots, `file-problems-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // A PNG named .jsonl is one problem saying what it is; then the file is deleted to make room.
  const png = path.join(tmpDir(), "picture.jsonl");
  fs.writeFileSync(png, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from("IHDR"), Buffer.alloc(300, 1)]));
  await page.goto("/files");
  await chooseUpload(page, png);
  await expect(page.getByRole("alert").filter({ hasText: "picture.jsonl has" })).toContainText("This is a PNG image, not a JSONL file.");
  if (shots) await page.screenshot({ path: path.join(shots, "upload-panel-png-1280.png"), fullPage: true });
  await page.goto("/files");
  await page.getByRole("link", { name: "picture.jsonl" }).click();
  await page.getByRole("button", { name: "Delete file" }).click();
  await page.getByRole("button", { name: "Delete “picture.jsonl”" }).click();
  await expect(page).toHaveURL(/\/files$/);
  await expect(page.getByRole("link", { name: "picture.jsonl" })).toHaveCount(0);
});

test("pages whose address holds what they cannot use say what is wrong instead of failing", async ({ page }) => {
  await signUp(page, newAccount("Address"));
  const cases: [string, string][] = [
    ["/batches?from=2026-13-45", 'The parameter "from" must be a date as YYYY-MM-DD; "2026-13-45" is not.'],
    ["/batches?after=zzz", 'The parameter "after" is not a position in this list'],
    ["/files?page=-1", 'The parameter "page" must be a whole number from 1 to 100,000; "-1" is not.'],
    ["/files?template=a%00", 'The parameter "template" holds a NUL character (%00), which cannot be searched for or stored. Remove it from the address.'],
    ["/batches/x?q=a%00", 'The parameter "q" holds a NUL character (%00)'],
    ["/batches/new?file=%00", 'The parameter "file" holds a NUL character (%00)'],
    ["/compare?a=x&b=y&q=a%00", 'The parameter "q" holds a NUL character (%00)'],
    ["/compare?after=zzz", 'The parameter "after" is not a position in this comparison'],
    ["/providers/x/import?after=%00", 'The parameter "after" holds a NUL character (%00)'],
  ];
  for (const [url, message] of cases) {
    await page.goto(url);
    const alert = page.getByRole("alert").filter({ hasText: "This address cannot be shown as it is." });
    await expect(alert, url).toContainText(message);
    await expect(page.getByText("This page could not be shown")).toHaveCount(0);
  }
  if (shots) await page.screenshot({ path: path.join(shots, "bad-address-1280.png") });
  await page.getByRole("link", { name: "Open the team's providers" }).click();
  await expect(page).toHaveURL(/\/providers$/);
  // An id holding a NUL names nothing: the page's "not found", not the error page (nor a 22021 in its metadata).
  for (const [url, title] of [["/files/%00", "File not found"], ["/batches/x%00", "Batch not found"], ["/jobs/%00", "Job not found"], ["/providers/%00/import", "Import history"]]) {
    await page.goto(url);
    await expect(page, url).toHaveTitle(new RegExp(title));
    await expect(page.getByText("This page could not be shown")).toHaveCount(0);
  }
});

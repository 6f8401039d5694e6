// What the providers' documents say, seen in the browser: an upload checked for an OpenAI connection
// warns about a temperature outside 0-2 (the file stays valid), and an /v1/images/generations batch
// on the sandbox's OpenAI imitation shows its b64_json pictures in the results drawer, at desktop
// and phone widths.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import os from "node:os";
import path from "node:path";
import { addImitation, batchHeader, chooseUpload, newAccount, resultRows, signUp, writeJsonl } from "./helpers";

/** Screenshots to look at, outside test-results (which every run empties). */
const shot = (name: string) => path.join(os.tmpdir(), "batchboard-provider-docs-shots", `${name}.png`);
let ctx: BrowserContext;
let page: Page;

test.describe.serial("the providers' documents, in the browser", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("an upload for OpenAI warns about a temperature outside 0-2, and the file stays valid", async () => {
    await signUp(page, newAccount("Docs"));
    await addImitation(page, "OpenAI", "OpenAI docs");
    await page.goto("/files");
    await page.getByLabel("Check for").selectOption({ label: "OpenAI docs (OpenAI)" });
    const line = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello!" }], ...extra } });
    await chooseUpload(page, writeJsonl("warm.jsonl", [line("request-1", {}), line("request-2", { temperature: 3 })]));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 2 requests");
    await expect(outcome).toContainText("1 warning: these requests will likely fail at the provider");
    await expect(outcome).toContainText("body.temperature is 3; the provider takes between 0 and 2");
    await page.screenshot({ path: shot("upload-warning-1280"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot("upload-warning-390"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("an images batch on OpenAI's imitation shows its pictures in the results drawer", async () => {
    await page.goto("/files");
    await page.getByLabel("Check for").selectOption({ label: "OpenAI docs (OpenAI)" });
    await page.getByLabel("Endpoint").selectOption("/v1/images/generations");
    const img = (id: string, prompt: string) => JSON.stringify({ custom_id: id, method: "POST", url: "/v1/images/generations", body: { model: "gpt-image-1", prompt, n: 2, size: "1024x1024" } });
    await chooseUpload(page, writeJsonl("otters.jsonl", [img("request-1", "A cute baby sea otter"), img("request-2", "An otter with a hat")]));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 2 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption({ label: "OpenAI docs (OpenAI)" });
    await page.getByLabel("Name", { exact: true }).fill("Otters");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    await expect(batchHeader(page).getByText("Completed", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(resultRows(page)).toHaveCount(2, { timeout: 30_000 });
    await resultRows(page).first().click();
    const drawer = page.getByRole("dialog", { name: /^Result request-/ });
    const pictures = drawer.getByRole("list", { name: "Images" }).getByRole("img");
    await expect(pictures).toHaveCount(2);
    await expect(pictures.first()).toHaveAttribute("src", /^data:image\/png;base64,iVBORw0KGgo/);
    // The picture is decoded and drawn, not a broken image.
    expect(await pictures.first().evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(16);
    await page.screenshot({ path: shot("drawer-images-1280"), fullPage: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: shot("drawer-images-390"), fullPage: false });
  });
});

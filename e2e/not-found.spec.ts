// Unknown ids answer HTTP 404, pages and API alike. A loading boundary above a page makes Next stream
// it after a 200, so a notFound() there arrives too late to change the status: the detail pages sit
// under none (app/(dashboard)/page-skeleton.tsx). Checked signed in (an unknown id, and another
// team's real batch) and signed out (the API's 401 stays a 401; a page sends to sign-in).
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { newAccount, signUp } from "./helpers";

const owner = newAccount("Nora");
const stranger = newAccount("Otto");
const UNKNOWN = "cm0000000000000000000none";

const PAGES = [`/batches/${UNKNOWN}`, `/files/${UNKNOWN}`, `/jobs/${UNKNOWN}`, `/providers/${UNKNOWN}/files`, `/providers/${UNKNOWN}/import`];
const API = [
  `/api/batches/${UNKNOWN}`,
  `/api/batches/${UNKNOWN}/results`,
  `/api/batches/${UNKNOWN}/retry`,
  `/api/batches/${UNKNOWN}/lineage`,
  `/api/batches/${UNKNOWN}/merged`,
  `/api/batches/${UNKNOWN}/merged.csv`,
  `/api/batches/${UNKNOWN}/export.csv`,
  `/api/batches/${UNKNOWN}/export.jsonl`,
  `/api/batches/${UNKNOWN}/output.jsonl`,
  `/api/batches/${UNKNOWN}/errors.jsonl`,
  `/api/jobs/${UNKNOWN}`,
  `/api/jobs/${UNKNOWN}/export.csv`,
];

let ctx: BrowserContext;
let page: Page;

test.describe.serial("unknown ids answer 404", () => {
  test.beforeAll(async ({ browser }) => {
    ctx = await browser.newContext();
    page = await ctx.newPage();
  });
  test.afterAll(() => ctx?.close());

  test("every detail page and API route of an unknown id is a 404; list pages are 200", async () => {
    await signUp(page, stranger);
    for (const url of PAGES) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(404);
      await expect(page.getByText(/not found/i).first(), url).toBeVisible();
    }
    for (const url of API) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(404);
    }
    for (const url of ["/batches", "/files", "/providers", "/batches/new", "/overview"]) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
    }
  });

  test("another team's batch is a 404 too, page and API", async ({ browser }) => {
    // The owner's first batch: the one-click sample on an empty Batches page.
    const own = await browser.newContext();
    const ownPage = await own.newPage();
    await signUp(ownPage, owner);
    await ownPage.goto("/batches");
    await ownPage.getByRole("button", { name: "Run a sample batch" }).click();
    await ownPage.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    const batchPath = new URL(ownPage.url()).pathname;
    expect((await ownPage.request.get(`/api${batchPath}`)).status()).toBe(200);
    await own.close();

    const res = await page.goto(batchPath);
    expect(res?.status()).toBe(404);
    expect((await page.request.get(`/api${batchPath}`)).status()).toBe(404);
  });
});

// Outbound requests and echoed keys, as a user meets them in the browser:
// - a connection cannot point at the server's own network (loopback, the cloud metadata address, a
//   base URL with a ?query that would let the user choose the path of every call);
// - a provider that repeats the key in its errors (here a fake one on 127.0.0.2, which the e2e
//   server's ALLOWED_PRIVATE_HOSTS lets through) never gets the key onto a page or into an answer:
//   not in the connection test, not in the batch page's sync error, not in /api/batches/:id.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { BASE_URL, ResponseWatch, chooseUpload, makeLines, newAccount, signUp, writeJsonl } from "./helpers";

const KEY = "Qw7Er9Ty2Ui4Op6As8Df1Gh3Jk5Lz0Xc";
const shot = (name: string) => path.join(os.tmpdir(), "batchboard-outbound-shots", `${name}.png`);

let provider: http.Server;
let providerUrl: string;

/** A provider that answers like OpenAI until it fails, and then repeats the key it was sent. */
function echoProvider(req: http.IncomingMessage, res: http.ServerResponse) {
  const key = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "x-echo-key": key });
    res.end(JSON.stringify(body));
  };
  const echo = (status: number) => send(status, { error: { message: `Incorrect API key provided: ${key}.`, type: "invalid_request_error", code: "invalid_api_key" } });
  req.resume();
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://x");
    const now = Math.floor(Date.now() / 1000);
    if (url.pathname === "/v1/models") return echo(401);
    if (req.method === "POST" && url.pathname === "/v1/files") {
      return send(200, { id: "file-echo", object: "file", bytes: 100, created_at: now, filename: "input.jsonl", purpose: "batch", status: "processed" });
    }
    if (req.method === "POST" && url.pathname === "/v1/batches") {
      return send(200, {
        id: "batch_echo",
        object: "batch",
        endpoint: "/v1/chat/completions",
        input_file_id: "file-echo",
        completion_window: "24h",
        status: "validating",
        created_at: now,
        request_counts: { total: 2, completed: 0, failed: 0 },
        metadata: {},
      });
    }
    return echo(500);
  });
}

/** The add-connection dialog, filled for a Custom OpenAI-compatible connection but for its base URL. */
async function customConnection(page: Page, name: string) {
  await page.goto("/providers");
  await page.getByRole("button", { name: "Add connection" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a provider connection" });
  await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Custom OpenAI-compatible" });
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("API key").fill(KEY);
  return dialog;
}

test.describe.serial("outbound requests", () => {
  let ctx: BrowserContext;
  let page: Page;
  let watch: ResponseWatch;

  test.beforeAll(async ({ browser }) => {
    provider = http.createServer(echoProvider);
    await new Promise<void>((r) => provider.listen(0, "127.0.0.2", r));
    providerUrl = `http://127.0.0.2:${(provider.address() as AddressInfo).port}/v1`;
    ctx = await browser.newContext();
    watch = new ResponseWatch(ctx);
    page = await ctx.newPage();
    await signUp(page, newAccount("Outbound"));
  });
  test.afterAll(async () => {
    await ctx?.close();
    await new Promise((r) => provider?.close(r));
  });

  test("a connection to the server's own network is refused, with what to change", async () => {
    const dialog = await customConnection(page, "Internal");
    const tries: [string, RegExp][] = [
      [`${BASE_URL.replace("localhost", "127.0.0.1")}/api/auth/session?`, /without a \? query or # fragment/],
      ["http://169.254.169.254/latest/meta-data", /169\.254\.169\.254 is a private, loopback or otherwise internal address/],
      ["http://[::ffff:127.0.0.1]:5432/", /internal address/],
      ["http://admin:secret@api.example.com/v1", /not in the URL/],
    ];
    for (const [url, message] of tries) {
      await dialog.getByLabel("Base URL").fill(url);
      await dialog.getByRole("button", { name: "Add connection" }).click();
      await expect(dialog.getByText(message)).toBeVisible();
    }
    await page.screenshot({ path: shot("refused") });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("heading", { name: "Internal", exact: true })).toHaveCount(0);
  });

  test("a provider that repeats the key: the test, the launch and the batch page show its words, never the key", async () => {
    const dialog = await customConnection(page, "Echo");
    await dialog.getByLabel("Base URL").fill(providerUrl);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();

    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Echo", exact: true }) });
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card).toContainText("The provider refused the key (HTTP 401): Incorrect API key provided: [redacted].");

    await page.goto("/files");
    await chooseUpload(page, writeJsonl("echo-2.jsonl", makeLines(2)));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 2 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption({ label: "Echo (Custom OpenAI-compatible)" });
    await page.getByLabel("Name", { exact: true }).fill("Echo batch");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    const batchId = new URL(page.url()).pathname.split("/").pop()!;

    // The worker polls the batch; the provider answers 500 and repeats the key.
    await expect(page.getByText(/HTTP 500: Incorrect API key provided: \[redacted\]/)).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: shot("batch-page"), fullPage: true });
    const api = await page.request.get(`/api/batches/${batchId}`);
    expect(api.status()).toBe(200);
    const body = await api.text();
    expect(body).toContain("[redacted]");
    expect(body).not.toContain(KEY);

    for (const html of [await page.content(), (await page.reload(), await page.content())]) expect(html).not.toContain(KEY.slice(0, 10));
    expect(await watch.count()).toBeGreaterThan(5);
    expect(await watch.containing(KEY)).toEqual([]);
    expect(await watch.containing(KEY.slice(-10))).toEqual([]);
  });
});

// Doubleword's partial results in the browser: a batch on a Doubleword connection whose base URL is
// the sandbox's Doubleword imitation shows its first results, live, before the status reaches
// Completed; a CSV export of the running batch holds them; at the end every result is there once.
//
// The one step the browser cannot do: a Doubleword connection only accepts Doubleword's own base
// URL (lib/providers/connections.ts refuses any other, so a key never goes elsewhere), and the
// "Custom OpenAI-compatible" kind that may point at the sandbox does not read partial results. So
// this spec starts an app of its own on a fresh PostgreSQL database (TEST_DATABASE_URL, as CI sets
// it), where it can add that connection row itself, encrypted as the app does. Everything else goes
// through the pages. Without TEST_DATABASE_URL it is skipped.
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ResponseWatch, batchHeader, chooseUpload, download, makeLines, newAccount, signUp, statNumber, writeJsonl } from "./helpers";

const adminUrl = process.env.TEST_DATABASE_URL;
const N = 40;
const FAIL_AT = [7, 30];
const account = newAccount("Dora");
const secrets = { AUTH_SECRET: crypto.randomBytes(32).toString("base64"), ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64") };

let server: ChildProcess | undefined;
let serverLog = "";
let baseUrl = "";
let dbName = "";
let dbUrl = "";
let dataDir = "";
let ctx: BrowserContext;
let page: Page;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** The sandbox's key for a team, as lib/sandbox/keys.ts makes it (an HMAC under AUTH_SECRET). */
function sandboxKey(teamId: string) {
  const mac = crypto.createHmac("sha256", secrets.AUTH_SECRET).update(`sandbox:${teamId}`).digest("base64url");
  return `sk-sandbox-${Buffer.from(teamId).toString("base64url")}.${mac}`;
}

/** AES-256-GCM as "v1:iv:ct:tag", as lib/crypto.ts stores keys. */
function encrypt(plain: string) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", Buffer.from(secrets.ENCRYPTION_KEY, "base64"), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), data.toString("base64"), cipher.getAuthTag().toString("base64")].join(":");
}

async function startApp() {
  dbName = `bb_e2e_partial_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`;
  await sql(adminUrl!, `CREATE DATABASE "${dbName}"`);
  const u = new URL(adminUrl!);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "batchboard-e2e-partial-"));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...process.env,
      ...secrets,
      PORT: String(port),
      DATABASE_URL: dbUrl,
      DATA_DIR: dataDir,
      AUTH_TRUST_HOST: "true",
      // 40 requests at 400 ms: about 16 s of running, polled every 0.5..2 s.
      SANDBOX_MS_PER_REQUEST: "400",
      SYNC_MIN_INTERVAL_MS: "500",
      SYNC_MAX_INTERVAL_MS: "2000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (d) => (serverLog += d));
  server.stderr?.on("data", (d) => (serverLog += d));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`The app exited at start:\n${serverLog}`);
    const ok = await fetch(`${baseUrl}/sign-in`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`The app did not start in 90 s:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function stopApp() {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  if (dbName) await sql(adminUrl!, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

test.describe.serial("Doubleword partial results on the batch page", () => {
  test.skip(!adminUrl, "needs PostgreSQL (TEST_DATABASE_URL) to add a Doubleword connection to the sandbox, which the pages refuse");

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    await startApp();
    ctx = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1400, height: 1000 } });
    page = await ctx.newPage();
  });

  test.afterAll(async () => {
    await ctx?.close();
    await stopApp();
  });

  test.afterEach(async () => {
    const info = test.info();
    if (info.status !== info.expectedStatus && page && !page.isClosed()) {
      await info.attach("page", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
    }
  });

  test("results appear, live, while the batch runs; a CSV export of the running batch holds them; the end count is exact", async () => {
    test.setTimeout(180_000);
    const watch = new ResponseWatch(ctx);
    await signUp(page, account);

    // The connection the pages cannot make: Doubleword's profile, the sandbox's Doubleword mode.
    const [{ teamId }] = await sql<{ teamId: string }>(
      dbUrl,
      `SELECT m."teamId" FROM "Membership" m JOIN "User" u ON u."id" = m."userId" WHERE u."email" = $1`,
      [account.email],
    );
    const key = sandboxKey(teamId);
    const connectionId = `e2e-dw-${crypto.randomBytes(4).toString("hex")}`;
    await sql(
      dbUrl,
      `INSERT INTO "ProviderConnection" ("id", "teamId", "kind", "name", "baseUrl", "encryptedKey", "keyLast4") VALUES ($1, $2, 'doubleword', $3, $4, $5, $6)`,
      [connectionId, teamId, "Doubleword imitation", `${baseUrl}/api/sandbox/doubleword/v1`, encrypt(key), key.slice(-4)],
    );
    await page.goto("/providers");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Doubleword imitation", exact: true }) });
    await expect(card).toContainText("Doubleword");
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card).toContainText(/OK\s*Connected/);

    // Upload and launch on it.
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("partial-40.jsonl", makeLines(N, { prefix: "dw", fail: FAIL_AT })));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText(`Valid: ${N} requests`);
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await page.getByLabel("Provider connection").selectOption(connectionId);
    await page.getByLabel("Name", { exact: true }).fill("Partial batch");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    const header = batchHeader(page);
    await expect(header.getByRole("heading", { name: "Partial batch" })).toBeVisible();
    await expect(header).toContainText("Doubleword");

    // Partial results show up while the status is still In progress, and grow by themselves.
    const note = page.getByRole("status").filter({ hasText: "Partial results:" });
    await expect(note).toBeVisible({ timeout: 60_000 });
    await expect(header.getByText("In progress", { exact: true })).toBeVisible();
    const shown = async () => Number(/Partial results: (\d+) of (\d+) so far/.exec(await note.innerText())?.[1] ?? NaN);
    await expect(note).toContainText(`of ${N} so far`);
    await expect(note).toContainText("the provider serves results while the batch runs");
    const first = await shown();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(N);
    const rows = page.locator("tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await expect(rows.first().getByRole("cell").first()).toHaveText("dw-001");
    await expect(rows.first().getByRole("cell").nth(2)).toContainText("This is a test result.");
    await expect.poll(shown, { timeout: 30_000 }).toBeGreaterThan(first);
    expect(await statNumber(page, "Completed")).toBeLessThan(N);
    await page.screenshot({ path: test.info().outputPath("partial-results-running.png"), fullPage: true });

    // An export while it runs: the results stored so far, each once.
    const csv = await download(page, page.getByRole("link", { name: "Download CSV" }));
    const records = parse(csv.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(records.length).toBeGreaterThanOrEqual(first);
    expect(records.length).toBeLessThanOrEqual(N);
    expect(new Set(records.map((r) => r.custom_id)).size).toBe(records.length);

    // The end: Completed, the note gone, every result there once, the page no longer live.
    await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByText(`${N} stored: ${N - FAIL_AT.length} succeeded, ${FAIL_AT.length} failed`, { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(note).toHaveCount(0);
    await expect(header.getByText("live", { exact: true })).toBeHidden({ timeout: 30_000 });
    const [{ n, distinct }] = await sql<{ n: string; distinct: string }>(
      dbUrl,
      `SELECT count(*) AS n, count(DISTINCT r."customId") AS distinct FROM "Result" r JOIN "Batch" b ON b."id" = r."batchId" WHERE b."teamId" = $1`,
      [teamId],
    );
    expect([Number(n), Number(distinct)]).toEqual([N, N]);
    const [offsets] = await sql<{ outputLinesRead: number; errorLinesRead: number }>(dbUrl, `SELECT "outputLinesRead", "errorLinesRead" FROM "Batch" WHERE "teamId" = $1`, [teamId]);
    expect(offsets.outputLinesRead).toBeGreaterThan(0); // read while it ran

    // The key never reached the browser.
    expect(await watch.containing(key)).toEqual([]);
  });
});

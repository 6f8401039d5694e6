// The whole Batchboard journey in Chromium, one test per step, sharing one run's state: an owner
// signs up, invites a teammate, adds a provider connection, uploads files, launches batches on the
// built-in Sandbox, watches them, reads and exports the results, and the teammate sees it all.
// Run: `npm run build && npx playwright test` (E2E_SCREENSHOT_DIR=docs also refreshes the README's
// screenshot).
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  BASE_URL,
  ResponseWatch,
  batchHeader,
  chooseUpload,
  download,
  fillSignIn,
  fillSignUp,
  makeLines,
  newAccount,
  nonEmptyLines,
  requestLine,
  signOut,
  signUp,
  stat,
  statNumber,
  tmpDir,
  writeBigJsonl,
  writeJsonl,
} from "./helpers";

const owner = newAccount("Olivia");
const mate = newAccount("Mateo");
const TEAM = `${owner.name}'s team`;
// A key only this run knows, so finding it anywhere would be a leak, not a coincidence.
const API_KEY = `sk-e2e-${crypto.randomBytes(18).toString("hex")}Q7zK`;
const SANDBOX_OPTION = "Sandbox (built-in test provider, no key needed)";

// The 12 requests of the main batch: distinct prompts (so search has something to find), 2 that fail.
const PROMPTS = [
  "What is 2 + 2?",
  "Name a primary colour.",
  "Translate 'hello' into French.",
  "Spell the word batch backwards.",
  "What is the capital of Peru?",
  "How many legs has a spider?",
  "Give a synonym of quick.",
  "What is the boiling point of water in Celsius?",
  "Name a planet with rings.",
  "What is 7 times 6?",
  "Who wrote Hamlet?",
  "What colour is the sky on a clear day?",
];
const FAIL_AT = [4, 9]; // 1-based: req-004 and req-009 carry "[fail]"
const LINES = makeLines(12, { fail: FAIL_AT, prompt: (i) => PROMPTS[i - 1] });

let ownerCtx: BrowserContext;
let mateCtx: BrowserContext;
let page: Page; // the owner's tab
let matePage: Page;
let ownerWatch: ResponseWatch;
let mateWatch: ResponseWatch;
let inviteLink = "";
let launchHref = "";
let batch1Url = "";
let batch2Url = "";

/** A signed-out visitor, for the pages anyone with a link may open. */
async function anonymousPage(browser: Browser) {
  const ctx = await browser.newContext({ baseURL: BASE_URL });
  return { ctx, page: await ctx.newPage() };
}

test.describe.serial("Batchboard journey", () => {
  test.beforeAll(async ({ browser }) => {
    ownerCtx = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1400, height: 900 } });
    mateCtx = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1400, height: 900 } });
    ownerWatch = new ResponseWatch(ownerCtx);
    mateWatch = new ResponseWatch(mateCtx);
    page = await ownerCtx.newPage();
    matePage = await mateCtx.newPage();
  });

  test.afterEach(async () => {
    const testInfo = test.info();
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const [who, p] of [["owner", page], ["teammate", matePage]] as const) {
        if (p && !p.isClosed()) await testInfo.attach(`${who}-page`, { body: await p.screenshot({ fullPage: true }), contentType: "image/png" });
      }
    }
  });

  test.afterAll(async () => {
    await ownerCtx?.close();
    await mateCtx?.close();
    fs.rmSync(tmpDir(), { recursive: true, force: true });
  });

  test("1. sign up, sign out and sign in again; wrong password, taken email and weak password say why; a new user has a personal team", async ({
    browser,
  }) => {
    await signUp(page, owner);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByText(owner.email)).toBeVisible();

    // A personal team, owned by the new user.
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: TEAM })).toBeVisible();
    await expect(page.getByText("Your personal team.")).toBeVisible();
    const me = page.getByRole("row").filter({ hasText: owner.email });
    await expect(me).toContainText(owner.name);
    await expect(me).toContainText("Owner");

    await signOut(page);
    await page.goto("/batches");
    await expect(page).toHaveURL(/\/sign-in/); // signed out for real

    await fillSignIn(page, owner.email, "Not-the-password-1");
    await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/sign-in/);

    await fillSignIn(page, owner.email, owner.password);
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByText(owner.email)).toBeVisible();

    // Sign-up mistakes, as a visitor.
    const { ctx, page: visitor } = await anonymousPage(browser);
    await visitor.goto("/sign-up");
    await fillSignUp(visitor, { name: "Someone Else", email: owner.email, password: "Another-pass-42" });
    await expect(visitor.getByRole("alert").filter({ hasText: "already exists" })).toHaveText("An account with this email already exists. Sign in instead?");
    await expect(visitor.getByRole("link", { name: "Go to sign in →" })).toBeVisible();

    const fresh = newAccount("Weak");
    await visitor.goto("/sign-up");
    await fillSignUp(visitor, { ...fresh, password: "short1" });
    await expect(visitor.getByRole("alert").filter({ hasText: "characters" })).toHaveText("Use at least 10 characters.");
    await fillSignUp(visitor, { ...fresh, password: "onlyletterspassword" });
    await expect(visitor.getByRole("alert").filter({ hasText: "letters" })).toHaveText("Add a digit or a symbol: a password of only letters is too easy to guess.");
    await expect(visitor).toHaveURL(/\/sign-up$/); // no account was made
    await ctx.close();
  });

  test("2. invite a teammate by link: shown once, the teammate signs up through it and joins; used, revoked and unknown links say why", async ({
    browser,
  }) => {
    await page.goto("/team");
    await page.getByLabel("Role", { exact: true }).selectOption("MEMBER");
    await page.getByLabel("Link expires in").selectOption("1"); // the shortest expiry the form offers
    await page.getByRole("button", { name: "Create invite link" }).click();
    await expect(page.getByText("Invite link ready. Copy it now: it is shown only once.")).toBeVisible();
    inviteLink = await page.getByLabel("Invite link").inputValue();
    expect(inviteLink).toMatch(new RegExp(`^${BASE_URL}/invite/[A-Za-z0-9_-]{16,}$`));
    const token = inviteLink.split("/").pop()!;

    // Shown once: after a reload the link is gone from the page, only the pending invite remains.
    await page.reload();
    await expect(page.getByLabel("Invite link")).toHaveCount(0);
    expect(await page.content()).not.toContain(token);
    await expect(page.getByRole("listitem").filter({ hasText: `made by ${owner.name}` })).toContainText("Member");

    // The teammate opens the link in their own browser and signs up through it.
    await matePage.goto(inviteLink);
    await expect(matePage.getByRole("heading", { name: `Join ${TEAM}` })).toBeVisible();
    await matePage.getByRole("link", { name: "Create an account and join" }).click();
    await expect(matePage).toHaveURL(/\/sign-up\?invite=/);
    await expect(matePage.getByText(`You are joining ${TEAM}.`)).toBeVisible();
    await fillSignUp(matePage, mate);
    await expect(matePage).toHaveURL(/\/overview$/);
    await expect(matePage.locator("#teamId option:checked")).toHaveText(TEAM);
    await matePage.getByRole("link", { name: "Team", exact: true }).click();
    await expect(matePage.getByRole("heading", { level: 1, name: TEAM })).toBeVisible();
    await expect(matePage.getByRole("row").filter({ hasText: owner.email })).toBeVisible();

    // The owner sees the new member, and no pending invite any more.
    await page.reload();
    await expect(page.getByRole("row").filter({ hasText: mate.email })).toContainText(mate.name);
    await expect(page.getByLabel(`Role of ${mate.name}`)).toHaveValue("MEMBER");
    await expect(page.getByText("No pending invites.")).toBeVisible();

    const { ctx, page: visitor } = await anonymousPage(browser);
    // Used: the link works once.
    await visitor.goto(inviteLink);
    await expect(visitor.getByRole("heading", { name: "Invite already used" })).toBeVisible();
    await expect(visitor.getByRole("alert").filter({ hasText: "invite link" })).toHaveText(/has already been used/);

    // Revoked: a second link, revoked by the owner before anyone uses it.
    await page.getByRole("button", { name: "Create invite link" }).click();
    const revokedLink = await page.getByLabel("Invite link").inputValue();
    expect(revokedLink).not.toBe(inviteLink);
    await page.reload();
    await page.getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByText("No pending invites.")).toBeVisible();
    await visitor.goto(revokedLink);
    await expect(visitor.getByRole("heading", { name: "Invite revoked" })).toBeVisible();
    await expect(visitor.getByRole("alert").filter({ hasText: "invite link" })).toHaveText(/was revoked by a team admin/);

    // Unknown: a link that was never made.
    await visitor.goto("/invite/NotARealInviteToken0123456789");
    await expect(visitor.getByRole("heading", { name: "Invite not found" })).toBeVisible();
    await expect(visitor.getByRole("alert").filter({ hasText: "invite link" })).toHaveText(/This invite link is not valid/);
    // Expired links: the form's shortest expiry is 1 day, so the "Invite expired" message is
    // covered by lib/teams/invites.test.ts ("says when an invite expired, was revoked or is unknown").
    await ctx.close();
  });

  test("3. providers: the built-in Sandbox is there and works; a new connection shows only the key's last 4 characters, the key is in no response; an unreachable one fails its test", async () => {
    await page.goto("/providers");
    const card = (name: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name, exact: true }) });
    const sandbox = card("Sandbox");
    await expect(sandbox).toContainText("Sandbox (built in)");

    await page.getByRole("button", { name: "Add connection" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a provider connection" });
    await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: "Custom OpenAI-compatible" });
    await dialog.getByLabel("Name", { exact: true }).fill("Local gateway");
    // The server's own network is refused (the e2e server allows only localhost and 127.0.0.2).
    await dialog.getByLabel("Base URL").fill("http://127.0.0.1:65533/v1");
    await dialog.getByLabel("API key").fill(API_KEY);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog.getByText("127.0.0.1 is a private, loopback or otherwise internal address")).toBeVisible();
    await dialog.getByLabel("Base URL").fill("http://localhost:65533/v1"); // allowed here, and nothing listens there
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect(dialog).toBeHidden();

    const gateway = card("Local gateway");
    await expect(gateway).toContainText("Custom OpenAI-compatible");
    await expect(gateway).toContainText("http://localhost:65533/v1");
    await expect(gateway).toContainText(`•••• ${API_KEY.slice(-4)}`);
    for (const html of [await page.content(), (await page.reload(), await page.content())]) {
      expect(html).not.toContain(API_KEY);
      expect(html).not.toContain(API_KEY.slice(-8)); // not even a longer tail than the last 4
    }
    await expect(gateway).toContainText(`•••• ${API_KEY.slice(-4)}`);

    await sandbox.getByRole("button", { name: "Test connection" }).click();
    await expect(sandbox).toContainText(/OK\s*Connected\. The key works/);

    await gateway.getByRole("button", { name: "Test connection" }).click();
    await expect(gateway).toContainText(/Failed\s*Could not reach localhost:65533\. Check the base URL and that the provider is up\./, { timeout: 30_000 });

    expect(await ownerWatch.count()).toBeGreaterThan(5);
    expect(await ownerWatch.containing(API_KEY)).toEqual([]);
  });

  test("4. files: an invalid upload lists its problems by line, a valid one is stored with its request count, and a cancelled upload leaves nothing", async () => {
    await page.goto("/files");

    const broken = writeJsonl("broken.jsonl", [
      requestLine(LINES[0]),
      '{"custom_id": "req-002", "method": "POST", "url": ', // cut short: bad JSON
      requestLine({ custom_id: "req-001", prompt: "Same id as line 1" }), // duplicate custom_id
      requestLine({ custom_id: "req-004", prompt: "Wrong endpoint" }, "/v1/embeddings"), // wrong url
    ]);
    await chooseUpload(page, broken);
    const report = page.getByRole("alert").filter({ hasText: "broken.jsonl has" });
    await expect(report).toContainText("broken.jsonl has 3 problems");
    await expect(report).toContainText("Nothing was stored from it.");
    const lineOf = (text: string) => report.getByRole("row").filter({ hasText: text }).getByRole("cell").first();
    await expect(lineOf("not valid JSON")).toHaveText("2");
    await expect(lineOf('custom_id "req-001" is used twice')).toHaveText("3");
    await expect(lineOf('url is "/v1/embeddings"')).toHaveText("4");

    await report.getByRole("button", { name: "Upload a fixed file" }).click();
    await chooseUpload(page, writeJsonl("journey-12.jsonl", LINES));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 12 requests");
    await expect(outcome).toContainText("journey-12.jsonl");
    launchHref = (await outcome.getByRole("link", { name: "Launch a batch" }).getAttribute("href")) ?? "";
    expect(launchHref).toMatch(/^\/batches\/new\?file=.+/);
    const row = page.getByRole("row").filter({ hasText: "journey-12.jsonl" });
    await expect(row).toContainText("Valid");
    await expect(row.getByRole("cell").nth(1)).toHaveText("12");

    // A bigger file: watch it in progress, then cancel it.
    await outcome.getByRole("button", { name: "Upload another" }).click();
    const big = writeBigJsonl("big-cancel.jsonl", 12);
    await chooseUpload(page, big);
    await expect(page.getByRole("progressbar")).toBeVisible();
    await expect(page.getByText("big-cancel.jsonl", { exact: false }).first()).toBeVisible();
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "cancelled" })).toHaveText("Upload of big-cancel.jsonl cancelled. Nothing was kept.");
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByRole("row").filter({ hasText: "big-cancel.jsonl" }).count();
      })
      .toBe(0);
    await expect(page.getByRole("row").filter({ hasText: "journey-12.jsonl" })).toHaveCount(1);
  });

  test("5. launch on the Sandbox from the file; a double click on submit creates one batch", async () => {
    await page.goto(launchHref);
    const fileId = decodeURIComponent(launchHref.split("file=")[1]);
    await expect(page.getByLabel("Input file")).toHaveValue(fileId);
    await expect(page.getByLabel("Input file").locator("option:checked")).toHaveText("journey-12.jsonl (12 requests)");
    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await page.getByLabel("Completion window").selectOption("1h");
    await page.getByLabel("Name", { exact: true }).fill("Journey batch");
    await page.getByLabel("Description (optional)").fill("Twelve questions, two of them fail on purpose.");
    await expect(page.getByText("12 requests to Sandbox")).toBeVisible();

    await page.getByRole("button", { name: "Launch batch" }).dblclick();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    batch1Url = new URL(page.url()).pathname;
    await expect(batchHeader(page).getByRole("heading", { name: "Journey batch" })).toBeVisible();
    // Step 6 proves the page updates by itself: it starts before the end, in this very document.
    await expect(batchHeader(page).getByText("live", { exact: true })).toBeVisible();
    expect(await statNumber(page, "Completed")).toBeLessThan(10);
    await page.evaluate(() => ((window as unknown as { e2eMark?: string }).e2eMark = "same document"));

    // One batch, not two: counted on the list in a second tab.
    const list = await ownerCtx.newPage();
    await list.goto("/batches");
    await expect(list.locator("tbody tr")).toHaveCount(1);
    await expect(list.getByText("1 batch", { exact: true })).toBeVisible();
    await list.close();
  });

  test("6a. batch page: the status moves to Completed by itself, with counts, a progress chart and timestamps", async () => {
    expect(new URL(page.url()).pathname).toBe(batch1Url);
    const header = batchHeader(page);
    await expect(header).toContainText("Sandbox");
    await expect(header).toContainText("window 1h");
    await expect(header).toContainText("Twelve questions, two of them fail on purpose.");

    await expect(header.getByText("Completed", { exact: true })).toBeVisible({ timeout: 90_000 });
    // No reload happened: the same document got there through live updates.
    expect(await page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark)).toBe("same document");
    await expect(header.getByText("live", { exact: true })).toBeHidden({ timeout: 30_000 }); // polling stops once results are stored

    await expect(stat(page, "Requests")).toHaveText("12");
    await expect(stat(page, "Completed")).toHaveText("10");
    await expect(stat(page, "Failed")).toHaveText("2");
    await expect(stat(page, "Done")).toHaveText("100%");

    const chart = page.getByRole("img", { name: "Progress of Journey batch: 10 completed and 2 failed of 12" });
    await expect(chart.locator("svg.recharts-surface").first()).toBeVisible();
    expect(await chart.locator("path.recharts-curve").count()).toBeGreaterThanOrEqual(2);

    const details = page.locator("dl").filter({ hasText: "Provider batch id" });
    for (const label of ["Created", "In progress", "Completed", "Results stored"]) {
      await expect(details.locator("dt", { hasText: new RegExp(`^${label}$`) })).toBeVisible();
    }
    expect(await details.locator("time").count()).toBeGreaterThanOrEqual(4);
    await expect(details).toContainText(owner.name); // created by
    await expect(page.getByText("12 stored: 10 succeeded, 2 failed", { exact: true })).toBeVisible();
  });

  test("6b. cancel: a running batch of 200 requests is cancelled mid-way and ends Cancelled with partial results", async () => {
    test.setTimeout(240_000);
    await page.goto("/files");
    await chooseUpload(page, writeJsonl("slow-200.jsonl", makeLines(200, { prefix: "slow" })));
    const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
    await expect(outcome).toContainText("Valid: 200 requests");
    await outcome.getByRole("link", { name: "Launch a batch" }).click();
    await expect(page.getByLabel("Input file").locator("option:checked")).toHaveText("slow-200.jsonl (200 requests)");
    await page.getByLabel("Provider connection").selectOption({ label: SANDBOX_OPTION });
    await page.getByLabel("Name", { exact: true }).fill("Cancelled batch");
    await page.getByRole("button", { name: "Launch batch" }).click();
    await page.waitForURL(/\/batches\/(?!new)[^/?]+$/);
    batch2Url = new URL(page.url()).pathname;
    expect(batch2Url).not.toBe(batch1Url);

    // 200 requests at 150 ms each take 30 s: cancel once more than a page of results (50) is done.
    const header = batchHeader(page);
    await expect(header.getByText("In progress", { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => statNumber(page, "Completed"), { timeout: 60_000, intervals: [500] }).toBeGreaterThanOrEqual(60);
    await header.getByRole("button", { name: "Cancel batch" }).click();
    await header.getByRole("button", { name: "Yes, cancel" }).click();

    await expect(header.getByText("Cancelled", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(header.getByRole("button", { name: "Cancel batch" })).toHaveCount(0);
    await expect(stat(page, "Requests")).toHaveText("200");
    const done = await statNumber(page, "Completed");
    expect(done).toBeGreaterThanOrEqual(60);
    expect(done).toBeLessThan(200);
    // The finished part is kept: its results are stored.
    const stored = page.getByText(/^\d+ stored: \d+ succeeded, 0 failed$/);
    await expect(stored).toBeVisible({ timeout: 30_000 });
    const n = Number((await stored.innerText()).split(" ")[0]);
    expect(n).toBeGreaterThan(50);
    expect(n).toBeLessThan(200);
    await expect(page.locator("dl").filter({ hasText: "Provider batch id" }).locator("dt", { hasText: /^Cancelled$/ })).toBeVisible();
  });

  test("7. results: custom_id, prompt and answer side by side; filter Failed shows the 2 failures with their error; search finds a row; pages when more than 50", async () => {
    await page.goto(batch1Url);
    for (const name of ["custom_id", "Prompt", "Answer or error"]) {
      await expect(page.getByRole("columnheader", { name, exact: true })).toBeVisible();
    }
    // The results table only: the batch page holds other tables (summary, lineage).
    const rows = page.getByTestId("results-scroll").locator("tbody tr");
    await expect(rows).toHaveCount(12);
    const first = rows.filter({ hasText: "req-001" });
    await expect(first.getByRole("cell").nth(0)).toHaveText("req-001");
    await expect(first.getByRole("cell").nth(1)).toHaveText(PROMPTS[0]);
    await expect(first.getByRole("cell").nth(2)).toHaveText(`This is a test result. You said: "${PROMPTS[0]}"`);

    const filters = page.getByRole("group", { name: "Show results" });
    await filters.getByRole("button", { name: /^Failed/ }).click();
    await expect(filters.getByRole("button", { name: /^Failed/ })).toHaveAttribute("aria-pressed", "true");
    await expect(page).toHaveURL(/status=failed/);
    await expect(rows).toHaveCount(2);
    // Rows come in the provider's output order (the sandbox shuffles it, as real providers may).
    expect((await rows.locator("td:first-child").allInnerTexts()).sort()).toEqual(["req-004", "req-009"]);
    for (const id of FAIL_AT) {
      const row = rows.filter({ has: page.getByRole("cell", { name: `req-${String(id).padStart(3, "0")}`, exact: true }) });
      await expect(row.getByRole("cell").nth(1)).toHaveText(`[fail] ${PROMPTS[id - 1]}`);
      await expect(row.getByRole("cell").nth(2)).toContainText("data_inspection_failed");
      await expect(row.getByRole("cell").nth(2)).toContainText("Input data may contain inappropriate content.");
      await expect(row.getByRole("cell").nth(3)).toContainText("failed");
    }

    await filters.getByRole("button", { name: /^All/ }).click();
    await expect(rows).toHaveCount(12);
    await page.getByRole("searchbox", { name: "Search results" }).fill("capital of Peru");
    await expect(page).toHaveURL(/q=capital/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByRole("cell").nth(0)).toHaveText("req-005");
    await expect(page.getByText("1 matching", { exact: true })).toBeVisible();

    // Many rows (the cancelled batch's partial results): a virtual table that renders the rows in
    // view and loads more as it scrolls, down to the last one.
    await page.goto(batch2Url);
    const count = page.getByText(/^\d+ results$/);
    await expect(count).toBeVisible();
    const n = Number((await count.innerText()).split(" ")[0]);
    expect(n).toBeGreaterThan(50);
    const firstRow = await rows.first().getByRole("cell").first().innerText();
    expect(await rows.count()).toBeLessThan(n);
    const scroller = page.getByTestId("results-scroll");
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
          return page.locator(`tbody tr[aria-rowindex="${n + 1}"]`).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    await expect(rows.first().getByRole("cell").first()).not.toHaveText(firstRow);
  });

  test("8. export: the CSV has the guide's columns plus the prompt and 12 rows; output and error JSONL have 10 and 2 lines", async () => {
    await page.goto(batch1Url);
    const csv = await download(page, page.getByRole("link", { name: "Download CSV", exact: true }));
    expect(csv.download.suggestedFilename()).toMatch(/\.csv$/);
    const records = parse(csv.text, { bom: true }) as string[][];
    const [header, ...data] = records;
    expect(header).toEqual(
      expect.arrayContaining(["custom_id", "model", "request_id", "status_code", "error_code", "error_message", "created", "content", "usage", "prompt"]),
    );
    expect(data).toHaveLength(12);
    const col = (name: string) => data.map((r) => r[header.indexOf(name)]);
    expect(col("custom_id").sort()).toEqual(LINES.map((l) => l.custom_id));
    expect(col("error_code").filter((c) => c === "data_inspection_failed")).toHaveLength(2);
    expect(col("status_code").filter((c) => c === "200")).toHaveLength(10);
    expect(col("prompt")).toContain(PROMPTS[4]);
    expect(col("content").filter((c) => c.startsWith("This is a test result."))).toHaveLength(10);

    // The provider's raw files are in the Download menu.
    await page.getByRole("button", { name: "More downloads" }).click();
    const output = await download(page, page.getByRole("link", { name: "Raw output.jsonl" }));
    const outLines = nonEmptyLines(output.text);
    expect(outLines).toHaveLength(10);
    for (const l of outLines) expect(JSON.parse(l).response.status_code).toBe(200);

    await page.getByRole("button", { name: "More downloads" }).click();
    const errors = await download(page, page.getByRole("link", { name: "Raw errors.jsonl" }));
    const errLines = nonEmptyLines(errors.text);
    expect(errLines).toHaveLength(2);
    expect(errLines.map((l) => JSON.parse(l).custom_id).sort()).toEqual(["req-004", "req-009"]);
  });

  test("9. batches list: both batches with name, connection, status, progress, model, requests, creator and time, newest first", async () => {
    await page.goto("/batches");
    await expect(page.getByText("2 batches", { exact: true })).toBeVisible();
    const rows = page.locator("tbody tr");
    await expect(rows).toHaveCount(2);
    const cells = (i: number) => rows.nth(i).getByRole("cell");
    // Name (connection and model below), Status, Progress (its total: the requests), Tokens, Cost, Duration, Created (by whom below).
    const CREATED = 6;

    // Newest first: the cancelled batch was launched second.
    await expect(cells(0).nth(0).getByRole("link")).toHaveText("Cancelled batch");
    await expect(cells(1).nth(0).getByRole("link")).toHaveText("Journey batch");
    const [t0, t1] = [await cells(0).nth(CREATED).locator("time").getAttribute("datetime"), await cells(1).nth(CREATED).locator("time").getAttribute("datetime")];
    expect(Date.parse(t0!)).toBeGreaterThan(Date.parse(t1!));

    for (const i of [0, 1]) {
      await expect(cells(i).nth(0)).toContainText("Sandbox · batch-test-model");
      await expect(cells(i).nth(CREATED)).toContainText(`by ${owner.name}`);
      await expect(cells(i).nth(CREATED)).toContainText(/just now|minutes? ago/);
    }
    await expect(cells(0).nth(1)).toHaveText("Cancelled");
    await expect(cells(0).nth(2)).toHaveText(/^\d+ \/ 200$/);
    await expect(cells(1).nth(1)).toHaveText("Completed");
    await expect(cells(1).nth(2)).toHaveText("10 + 2 failed / 12");
    await expect(cells(1).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "12");

    await rows.nth(1).getByRole("link", { name: "Journey batch" }).click();
    await expect(page).toHaveURL(new RegExp(`${batch1Url}$`));
  });

  test("2b. the teammate sees the same batches, connections and files; the API key reached neither browser", async () => {
    await matePage.goto("/batches");
    const rows = matePage.locator("tbody tr");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText("Cancelled batch");
    await expect(rows.nth(1)).toContainText("Journey batch");
    await expect(rows.nth(1)).toContainText(owner.name);

    await matePage.goto(batch1Url);
    await expect(stat(matePage, "Completed")).toHaveText("10");
    await expect(stat(matePage, "Failed")).toHaveText("2");
    await expect(matePage.getByTestId("results-scroll").locator("tbody tr")).toHaveCount(12);

    await matePage.goto("/files");
    await expect(matePage.getByRole("row").filter({ hasText: "journey-12.jsonl" })).toContainText(owner.name);
    await expect(matePage.getByRole("row").filter({ hasText: "slow-200.jsonl" })).toHaveCount(1);

    await matePage.goto("/providers");
    await expect(matePage.getByRole("heading", { name: "Local gateway", exact: true })).toBeVisible();
    await expect(matePage.getByRole("heading", { name: "Sandbox", exact: true })).toBeVisible();
    await expect(matePage.getByText(`•••• ${API_KEY.slice(-4)}`)).toBeVisible();
    await expect(matePage.getByText("Only the team's owners and admins can add or change connections.")).toBeVisible();
    expect(await matePage.content()).not.toContain(API_KEY);

    expect(await ownerWatch.containing(API_KEY)).toEqual([]);
    expect(await mateWatch.containing(API_KEY)).toEqual([]);
  });

  test("screenshots: the completed batch page (E2E_SCREENSHOT_DIR=docs refreshes the README's) and the batches list", async () => {
    const testInfo = test.info();
    const dir = process.env.E2E_SCREENSHOT_DIR ? path.resolve(process.env.E2E_SCREENSHOT_DIR) : testInfo.outputPath();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(batch1Url);
    await expect(page.getByRole("img", { name: /^Progress of Journey batch/ }).locator("svg.recharts-surface").first()).toBeVisible();
    await expect(page.getByTestId("results-scroll").locator("tbody tr")).toHaveCount(12);
    await page.mouse.move(0, 0);
    // A window as tall as the page rather than fullPage: the sidebar is as tall as the window.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1400, height });
    await page.screenshot({ path: path.join(dir, "batch-page.png") });
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto("/batches");
    await expect(page.locator("tbody tr")).toHaveCount(2);
    await page.screenshot({ path: testInfo.outputPath("batches-list.png") });
  });
});

// Small helpers for the end-to-end journey: accounts, batch files, uploads, downloads, and a watch
// on every response the app sends (to prove a secret never leaves the server).
import { expect, type BrowserContext, type Download, type Locator, type Page, type Response } from "@playwright/test";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const BASE_URL = `http://localhost:${process.env.E2E_PORT ?? 3210}`;
export const ENDPOINT = "/v1/chat/completions";

export interface Account {
  name: string;
  email: string;
  password: string;
}

/** A fresh account for this run: nobody else has this email. */
export function newAccount(name: string): Account {
  const id = `${Date.now().toString(36)}${crypto.randomBytes(3).toString("hex")}`;
  return { name, email: `${name.toLowerCase()}-${id}@e2e.example.com`, password: `Batch-${id}-pw` };
}

// ---------------------------------------------------------------- accounts

/** Fills and sends the sign-up form of the page already open (/sign-up, or /sign-up?invite=...). */
export async function fillSignUp(page: Page, a: { name: string; email: string; password: string }) {
  await page.getByLabel("Name").fill(a.name);
  await page.getByLabel("Email").fill(a.email);
  await page.getByLabel("Password").fill(a.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function signUp(page: Page, a: Account) {
  await page.goto("/sign-up");
  await fillSignUp(page, a);
  await expect(page).toHaveURL(/\/overview$/);
}

export async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signIn(page: Page, a: Account) {
  await page.goto("/sign-in");
  await fillSignIn(page, a.email, a.password);
  await expect(page).toHaveURL(/\/overview$/);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

// ---------------------------------------------------------------- batch files

let dir: string | undefined;
/**
 * This run's folder for generated files, made on first use (the runner also loads this module to
 * list tests) and again after a spec's cleanup removed it: one worker runs every spec in turn.
 */
export function tmpDir(): string {
  if (!dir || !fs.existsSync(dir)) dir = fs.mkdtempSync(path.join(os.tmpdir(), "batchboard-e2e-files-"));
  return dir;
}

export interface Line {
  custom_id: string;
  prompt: string;
}

export function requestLine({ custom_id, prompt }: Line, url = ENDPOINT): string {
  return JSON.stringify({
    custom_id,
    method: "POST",
    url,
    body: { model: "batch-test-model", messages: [{ role: "user", content: prompt }] },
  });
}

/** n requests "req-001".."req-n"; the 1-based positions in `fail` carry the sandbox's "[fail]" marker. */
export function makeLines(n: number, opts: { prefix?: string; fail?: number[]; prompt?: (i: number) => string } = {}): Line[] {
  const prefix = opts.prefix ?? "req";
  const width = String(n).length < 3 ? 3 : String(n).length;
  return Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    const base = opts.prompt?.(i) ?? `Question ${i}: what is ${i} + ${i}?`;
    return { custom_id: `${prefix}-${String(i).padStart(width, "0")}`, prompt: opts.fail?.includes(i) ? `[fail] ${base}` : base };
  });
}

/** Writes a .jsonl file of these lines (or raw text lines) into the run's temp folder. */
export function writeJsonl(name: string, lines: (Line | string)[]): string {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, lines.map((l) => (typeof l === "string" ? l : requestLine(l))).join("\n") + "\n");
  return file;
}

/** A big valid file (about `megabytes` MB) written in one go, to watch an upload in progress. */
export function writeBigJsonl(name: string, megabytes: number): string {
  const file = path.join(tmpDir(), name);
  const pad = "x".repeat(300);
  const out: string[] = [];
  let bytes = 0;
  for (let i = 1; bytes < megabytes * 1024 * 1024; i++) {
    const line = requestLine({ custom_id: `big-${i}`, prompt: `Big question ${i} ${pad}` });
    out.push(line);
    bytes += line.length + 1;
  }
  fs.writeFileSync(file, out.join("\n") + "\n");
  return file;
}

// ---------------------------------------------------------------- pages

/** Puts a file into the upload panel of /files (the input is visually hidden inside the drop zone). */
export async function chooseUpload(page: Page, file: string) {
  await page.locator("#file-input").setInputFiles(file);
}

/** The value of one of the batch page's stat cards (Requests, Completed, Failed, Done). */
export function stat(page: Page, label: string): Locator {
  return page.locator(`xpath=//p[normalize-space()="${label}"]/following-sibling::p[1]`);
}

export async function statNumber(page: Page, label: string): Promise<number> {
  return Number((await stat(page, label).innerText()).replace(/[^\d]/g, ""));
}

/** The status badge next to the batch's name at the top of a batch page. */
export function batchHeader(page: Page): Locator {
  return page.locator("main header");
}

/** Clicks a download link and returns the downloaded file's text. */
export async function download(page: Page, link: Locator): Promise<{ text: string; download: Download }> {
  const [d] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const file = await d.path();
  return { text: fs.readFileSync(file, "utf8"), download: d };
}

export const nonEmptyLines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

// ---------------------------------------------------------------- response watch

/**
 * Records the bodies of the app's own textual responses (HTML, RSC payloads, JSON, NDJSON, CSV...)
 * in a browser context, so a test can prove that a secret never appears in any of them.
 */
export class ResponseWatch {
  private pending: Promise<void>[] = [];
  readonly bodies: { url: string; type: string; body: string }[] = [];

  constructor(context: BrowserContext) {
    context.on("response", (r) => this.pending.push(this.record(r)));
  }

  private async record(r: Response) {
    if (!r.url().startsWith(BASE_URL)) return;
    const type = r.headers()["content-type"] ?? "";
    if (!/json|html|text|x-component|javascript|csv/.test(type)) return;
    try {
      this.bodies.push({ url: r.url(), type, body: await r.text() });
    } catch {
      // Redirects and aborted responses have no body to read.
    }
  }

  /** Every recorded response (after waiting for the bodies still being read) that contains `needle`. */
  async containing(needle: string) {
    await Promise.allSettled(this.pending);
    return this.bodies.filter((b) => b.body.includes(needle)).map((b) => `${b.url} (${b.type})`);
  }

  async count() {
    await Promise.allSettled(this.pending);
    return this.bodies.length;
  }
}

/**
 * A team's sandbox key as lib/providers/sandbox/keys.ts makes it (an HMAC of the team id under the app's
 * AUTH_SECRET, read from its data folder): for specs that play the provider's side themselves, or
 * that check the key never reaches the browser.
 */
export function sandboxKey(teamId: string): string {
  const { AUTH_SECRET } = JSON.parse(fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "secrets.json"), "utf8")) as { AUTH_SECRET: string };
  const mac = crypto.createHmac("sha256", AUTH_SECRET).update(`sandbox:${teamId}`).digest("base64url");
  return `sk-sandbox-${Buffer.from(teamId).toString("base64url")}.${mac}`;
}

/** Adds a connection of this provider that runs on the sandbox's imitation of it, from the Providers page. */
export async function addImitation(page: Page, providerLabel: string, name: string): Promise<Locator> {
  await page.goto("/providers");
  await page.getByRole("button", { name: "Add connection" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a provider connection" });
  await dialog.getByLabel("Provider", { exact: true }).selectOption({ label: providerLabel });
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Batchboard's Sandbox imitation").check();
  await expect(dialog.getByLabel("API key")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Add connection" }).click();
  await expect(dialog).toBeHidden();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name, exact: true }) });
  await expect(card).toContainText("Sandbox imitation");
  return card;
}

/**
 * Adds a Custom OpenAI-compatible connection that calls this app's sandbox with the team's key and
 * takes at most `maxRequests` requests a batch, from the Providers page (a file over it launches as a job).
 */
export async function addSplittingConnection(page: Page, teamId: string, name: string, maxRequests: number): Promise<Locator> {
  await page.goto("/providers");
  await page.getByRole("button", { name: "Add connection" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a provider connection" });
  await dialog.getByLabel("Provider").selectOption({ label: "Custom OpenAI-compatible" });
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByLabel("Base URL").fill(`${BASE_URL}/api/sandbox/v1`);
  await dialog.getByLabel("API key").fill(sandboxKey(teamId));
  await dialog.getByRole("button", { name: "Add connection" }).click();
  await expect(dialog).toBeHidden();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name, exact: true }) });
  await card.getByRole("button", { name: "Edit limits" }).click();
  await card.getByLabel("Max requests per file").fill(String(maxRequests));
  await card.getByRole("button", { name: "Save limits" }).click();
  await expect(card.getByRole("button", { name: "Save limits" })).toBeHidden();
  return card;
}

/** The rows of the batch page's results table (not the summary's or other tables' rows). */
export function resultRows(page: Page): Locator {
  return page.getByTestId("results-scroll").locator("tbody tr");
}

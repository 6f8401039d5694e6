// Every page of the app with real data behind it, for the specs that judge each page as a whole (the
// layout at 390 px, accessibility in both themes, the screenshots): a fresh account makes one of
// everything through the UI (a connection that splits, a file with problems and a valid one, a job of
// two batches with results, a price, an invite) and gets the address of each page.
// `pageRoutes()` finds the pages on disk, so a new page fails the specs that use this until it is
// listed here.
import { expect, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { addSplittingConnection, chooseUpload, makeLines, newAccount, signUp, stat, writeJsonl, type Account } from "./helpers";

/** Every page's route, from the files ("app/(dashboard)/batches/[id]/page.tsx" -> "/batches/[id]"). */
export function pageRoutes(dir = "app"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "api" ? [] : pageRoutes(p);
    if (d.name !== "page.tsx") return [];
    return ["/" + dir.split(path.sep).slice(1).filter((s) => !/^\(.*\)$/.test(s)).join("/")];
  });
}

/** The pages seen signed out. */
export const signedOutRoutes = ["/sign-in", "/sign-up", "/invite/[token]"];

export interface Site {
  account: Account;
  /** route ("/batches/[id]") -> an address of it with data. */
  urls: Record<string, string>;
  /** More states of a page worth seeing: label -> address. */
  extra: Record<string, string>;
}

/** Signs up on `page` and makes one of everything; `page` stays signed in. */
export async function makeSite(page: Page, name: string): Promise<Site> {
  const account = newAccount(name);
  await signUp(page, account);
  const teamId = await page.getByLabel("Team").inputValue();
  await addSplittingConnection(page, teamId, "Acme", 2);
  const importHref = await page.locator('a[href$="/import"]').first().getAttribute("href");

  // A file with problems (its page lists them), then a valid one launched as a job of 2 batches.
  await page.goto("/files");
  await chooseUpload(page, writeJsonl(`${name}-broken.jsonl`, [...makeLines(2), "{not json", '{"custom_id":"req-001"}']));
  await expect(page.getByRole("alert").filter({ hasText: "problems" })).toBeVisible();
  await page.getByRole("button", { name: "Upload a fixed file" }).click();
  await chooseUpload(page, writeJsonl(`${name}-3.jsonl`, makeLines(3, { prompt: (i) => `Question ${i}: answer in **markdown** with a list` })));
  const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
  await expect(outcome).toContainText("Valid: 3 requests");
  await outcome.getByRole("link", { name: "Launch a batch" }).click();
  // The address changes once the form's page answers (no loading boundary shows it at once).
  await expect(page).toHaveURL(/\/batches\/new\?file=/);
  const fileId = new URL(page.url()).searchParams.get("file");
  await page.getByLabel("Provider connection").selectOption({ label: "Acme (Custom OpenAI-compatible) (as several batches)" });
  await page.getByLabel("Name", { exact: true }).fill(`${name} job with a long name that has to wrap on a phone`);
  await page.getByRole("button", { name: "Launch as 2 batches" }).click();
  await expect(page).toHaveURL(/\/jobs\/job_[0-9a-f]+$/);
  const jobUrl = new URL(page.url()).pathname;
  await expect(stat(page, "Done")).toHaveText("100%", { timeout: 60_000 });
  const parts = await page.locator('main a[href^="/batches/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute("href")!))]);
  const [a, b] = parts.map((p) => p.split("/")[2]);

  await page.goto("/files");
  const broken = await page.getByRole("link", { name: `${name}-broken.jsonl` }).getAttribute("href");

  await page.goto("/team");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const invite = new URL(await page.locator("#invite-link").inputValue()).pathname;

  const urls: Record<string, string> = {
    "/": "/",
    "/account": "/account",
    "/account/notifications": "/account/notifications",
    "/audit": "/audit",
    "/batches": "/batches",
    "/batches/[id]": `/batches/${a}`,
    "/batches/new": `/batches/new?file=${fileId}`,
    "/compare": `/compare?a=${a}&b=${b}`,
    "/files": "/files",
    "/files/[id]": `/files/${fileId}`,
    "/jobs/[id]": jobUrl,
    "/overview": "/overview?period=7d&by=model",
    "/prices": "/prices",
    "/providers": "/providers",
    "/providers/[id]/import": importHref!,
    "/providers/[id]/files": importHref!.replace(/\/import$/, "/files"),
    "/team": "/team",
    "/team/webhooks": "/team/webhooks",
    "/templates": "/templates",
    "/tokens": "/tokens",
    "/invite/[token]": invite,
    "/sign-in": "/sign-in",
    "/sign-up": "/sign-up",
  };
  expect(Object.keys(urls).sort(), "a page e2e/every-page.ts does not open: add it to the list above").toEqual(pageRoutes().sort());
  return { account, urls, extra: { "/files/[id] with problems": broken! } };
}

/** Waits until React has attached to the page (its event handlers work). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => [...document.querySelectorAll("body *")].some((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber"))), undefined, { timeout: 15_000 });
  await page.waitForLoadState("load");
}

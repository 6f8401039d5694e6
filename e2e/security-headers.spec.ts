// Security headers in a real browser: a fresh account makes one of everything (a connection, a file,
// a job of two batches with results, an invite), then every page of the app (each app/**/page.tsx,
// found on disk: a new page fails this spec until it is listed) is opened signed in (sign-in and
// sign-up signed out), and each must:
// - carry the page policy with a fresh nonce and the other headers (no HSTS over plain http);
// - hydrate (React attached to the DOM: Next's nonced scripts ran under the policy);
// - cause no CSP violation and no console error, the result drawer's markdown and the charts included.
// The watch itself is checked first: an inline script without the nonce is reported. The API's own
// policy, HSTS behind an https proxy, the icons (no favicon 404) and the upload route's Origin check
// are checked over HTTP.
import { expect, test, type Browser, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { addSplittingConnection, chooseUpload, makeLines, newAccount, resultRows, signUp, stat, writeJsonl } from "./helpers";

const account = newAccount("Headers");

/** Every page's route, from the files ("app/(dashboard)/batches/[id]/page.tsx" -> "/batches/[id]"). */
function pageRoutes(dir = "app"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "api" ? [] : pageRoutes(p);
    if (d.name !== "page.tsx") return [];
    return ["/" + dir.split(path.sep).slice(1).filter((s) => !/^\(.*\)$/.test(s)).join("/")];
  });
}

/** CSP violations (reported by the page itself) and console errors, per page visited. */
async function watch(page: Page) {
  const problems: string[] = [];
  await page.exposeFunction("__cspViolation", (v: string) => problems.push(`CSP violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

function expectPageHeaders(headers: Record<string, string>, url: string) {
  const csp = headers["content-security-policy"] ?? "";
  for (const d of ["default-src 'self'", "'strict-dynamic'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'", "img-src 'self' data: blob:"]) {
    expect(csp, `${url}: ${d}`).toContain(d);
  }
  expect(csp, `${url}: a nonce`).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'(;|$)/);
  expect(headers["x-content-type-options"], url).toBe("nosniff");
  expect(headers["referrer-policy"], url).toBe("same-origin");
  expect(headers["x-frame-options"], url).toBe("DENY");
  expect(headers["permissions-policy"], url).toContain("camera=()");
  expect(headers["strict-transport-security"], `${url}: no HSTS over http`).toBeUndefined();
  return csp;
}

/** Opens a page and checks its headers, that React hydrated it, and that nothing was refused or logged. */
async function visit(page: Page, problems: string[], url: string, nonces: Set<string>) {
  problems.length = 0;
  const res = await page.goto(url);
  expect(res, url).not.toBeNull();
  const csp = expectPageHeaders(res!.headers(), url);
  nonces.add(/'nonce-([^']+)'/.exec(csp)![1]);
  await page.waitForFunction(() => [...document.querySelectorAll("body *")].some((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber"))), undefined, { timeout: 15_000 });
  await page.waitForLoadState("load");
  return problems;
}

test("every page is served with the security headers, runs under its CSP, and logs no violation or error", async ({ page, browser }) => {
  const problems = await watch(page);
  await signUp(page, account);
  const teamId = await page.getByLabel("Team").inputValue();

  expect(problems, "signing up").toEqual([]);
  // The watch sees a violation: markup (as an injection would write it) with an inline handler and
  // an image from another host is refused, and the handler does not run.
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", `<img src="data:image/png;base64,AA" onerror="window.__ran = true"><img src="https://example.invalid/track.png">`));
  await expect.poll(() => problems.filter((p) => p.startsWith("CSP violation")).sort()).toEqual([
    expect.stringMatching(/^CSP violation: img-src blocked https:\/\/example\.invalid\/track\.png/),
    expect.stringMatching(/^CSP violation: script-src-attr blocked inline/),
  ]);
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
  problems.length = 0;

  // One of everything: a connection taking 2 requests a batch, a 3-request file launched on it as a job of 2.
  await addSplittingConnection(page, teamId, "Acme", 2);
  const importHref = await page.locator('a[href$="/import"]').first().getAttribute("href");

  await page.goto("/files");
  await chooseUpload(page, writeJsonl("headers-3.jsonl", makeLines(3, { prompt: (i) => `Question ${i}: answer in **markdown** with a list` })));
  const outcome = page.getByRole("status").filter({ hasText: "Valid:" });
  await expect(outcome).toContainText("Valid: 3 requests");
  await outcome.getByRole("link", { name: "Launch a batch" }).click();
  await expect(page).toHaveURL(/\/batches\/new\?file=/);
  const fileId = new URL(page.url()).searchParams.get("file");
  await page.getByLabel("Provider connection").selectOption({ label: "Acme (Custom OpenAI-compatible) (as several batches)" });
  await page.getByLabel("Name", { exact: true }).fill("Headers job");
  await page.getByRole("button", { name: "Launch as 2 batches" }).click();
  await expect(page).toHaveURL(/\/jobs\/job_[0-9a-f]+$/);
  const jobUrl = new URL(page.url()).pathname;
  await expect(stat(page, "Done")).toHaveText("100%", { timeout: 60_000 });
  const parts = await page.locator('main a[href^="/batches/"]').evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute("href")!))]);
  expect(parts.length).toBeGreaterThanOrEqual(2);

  await page.goto("/team");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const inviteUrl = new URL(await page.locator("#invite-link").inputValue());
  expect(problems, "while setting up").toEqual([]);

  // Every page, signed in.
  const [a, b] = parts.map((p) => p.split("/")[2]);
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
    "/invite/[token]": inviteUrl.pathname,
    "/sign-in": "/sign-in",
    "/sign-up": "/sign-up",
  };
  expect(Object.keys(urls).sort(), "a page this spec does not open").toEqual(pageRoutes().sort());

  const nonces = new Set<string>();
  for (const [route, url] of Object.entries(urls)) {
    if (route === "/sign-in" || route === "/sign-up") continue;
    expect(await visit(page, problems, url, nonces), url).toEqual([]);
    if (route === "/batches/[id]") {
      // The result drawer renders an answer as markdown.
      await resultRows(page).first().click();
      await expect(page.getByTestId("markdown").first()).toBeVisible();
      expect(problems, `${url}, result drawer`).toEqual([]);
    }
  }

  // Signed out: the sign-in and sign-up pages.
  const guest = await browser.newPage();
  const guestProblems = await watch(guest);
  for (const url of [urls["/sign-in"], urls["/sign-up"]]) expect(await visit(guest, guestProblems, url, nonces), url).toEqual([]);
  await guest.close();
  expect(nonces.size, "a new nonce on every page").toBe(Object.keys(urls).length);

  // Over HTTP: the API's own policy; HSTS only when a TLS proxy says the request came over https.
  const api = await page.request.get("/api/batches");
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["strict-transport-security"]).toBeUndefined();
  const overTls = await page.request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(overTls.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");

  // The icons every page links: the favicon, a real .ico (Next serves public/ as it is), and the logo
  // it is drawn from, each with the headers of every response.
  const icons = await guestIcons(browser);
  expect(icons).toEqual(expect.arrayContaining(["/favicon.ico", "/logo.svg"]));
  const favicon = await page.request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
  expect([...(await favicon.body()).subarray(0, 4)], "an ICO header").toEqual([0, 0, 1, 0]);
  expect(favicon.headers()["x-content-type-options"]).toBe("nosniff");
  const logo = await page.request.get("/logo.svg");
  expect(logo.status()).toBe(200);
  expect(logo.headers()["content-type"]).toMatch(/^image\/svg\+xml/);

  // The upload route refuses another site's post, with this user's cookies, before reading the file.
  const foreign = await page.request.post("/api/uploads", {
    headers: { origin: "https://evil.example" },
    multipart: { endpoint: "/v1/chat/completions", file: { name: "x.jsonl", mimeType: "application/octet-stream", buffer: Buffer.from(writeJsonlText()) } },
  });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error).toMatch(/another site \(https:\/\/evil\.example\)/);
});

/** The icons the sign-in page links, by path. */
async function guestIcons(browser: Browser): Promise<string[]> {
  const guest = await browser.newPage();
  await guest.goto("/sign-in");
  const hrefs = await guest.locator('link[rel="icon"]').evaluateAll((ls) => ls.map((l) => new URL((l as HTMLLinkElement).href).pathname));
  await guest.close();
  return hrefs;
}

const writeJsonlText = () => fs.readFileSync(writeJsonl("headers-foreign.jsonl", makeLines(1)), "utf8");

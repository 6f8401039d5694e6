// Security headers in a real browser: a fresh account makes one of everything (a connection, files,
// a job of two batches with results, an invite: e2e/every-page.ts), then every page of the app (each
// app/**/page.tsx, found on disk: a new page fails this spec until e2e/every-page.ts lists it) is
// opened signed in (sign-in and sign-up signed out), and each must:
// - carry the page policy with a fresh nonce and the other headers (no HSTS over plain http);
// - hydrate (React attached to the DOM: Next's nonced scripts ran under the policy);
// - cause no CSP violation and no console error, the result drawer's markdown and the charts included.
// The watch itself is checked first: an inline script without the nonce is reported. The API's own
// policy, HSTS behind an https proxy, the icons (no favicon 404) and the upload route's Origin check
// are checked over HTTP.
import { expect, test, type Browser, type Page } from "@playwright/test";
import fs from "node:fs";
import { hydrated, makeSite } from "./every-page";
import { makeLines, resultRows, writeJsonl } from "./helpers";

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
  await hydrated(page);
  return problems;
}

test("every page is served with the security headers, runs under its CSP, and logs no violation or error", async ({ page, browser }) => {
  const problems = await watch(page);
  // One of everything (e2e/every-page.ts): a connection taking 2 requests a batch, a file with
  // problems, a 3-request file launched on it as a job of 2, an invite; the address of every page.
  const { urls } = await makeSite(page, "Headers");
  expect(problems, "while setting up").toEqual([]);

  // The watch sees a violation: markup (as an injection would write it) with an inline handler and
  // an image from another host is refused, and the handler does not run.
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", `<img src="data:image/png;base64,AA" onerror="window.__ran = true"><img src="https://example.invalid/track.png">`));
  await expect.poll(() => problems.filter((p) => p.startsWith("CSP violation")).sort()).toEqual([
    expect.stringMatching(/^CSP violation: img-src blocked https:\/\/example\.invalid\/track\.png/),
    expect.stringMatching(/^CSP violation: script-src-attr blocked inline/),
  ]);
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
  problems.length = 0;

  const nonces = new Set<string>();
  for (const [route, url] of Object.entries(urls)) {
    if (route === "/sign-in" || route === "/sign-up") continue; // signed out, below
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

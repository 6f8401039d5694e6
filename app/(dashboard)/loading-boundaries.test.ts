// No loading boundary sits above a page that can answer "not found". A loading.tsx wraps every page
// of its folder and below in Suspense, so Next streams them after a 200 and a notFound() there can
// no longer change the status (unknown batch, file, job or connection ids answered 200). Pages under
// a dynamic segment ([id]) and the pages that call notFound() must have no loading.tsx on their path;
// a list page keeps its skeleton in a route group beside them ((list)/loading.tsx). A detail page
// shows its loading state another way: it finds its object (or calls notFound()) first, then renders
// the slow rest inside a <Suspense> of its own, which streams only after the status is decided.
// e2e/not-found.spec.ts checks the statuses in a browser.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.join(import.meta.dirname, "..");

/** Every page.tsx under app/, as its folder's path segments. */
function pages(dir = APP, segments: string[] = []): string[][] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.isDirectory()) return d.name === "api" ? [] : pages(path.join(dir, d.name), [...segments, d.name]);
    return d.name === "page.tsx" ? [segments] : [];
  });
}

/** The loading.tsx files whose boundary wraps the page in these segments. */
const loadingAbove = (segments: string[]) =>
  segments
    .map((_, i) => path.join(APP, ...segments.slice(0, i + 1), "loading.tsx"))
    .concat(path.join(APP, "loading.tsx"))
    .filter((f) => fs.existsSync(f))
    .map((f) => path.relative(APP, f));

const canBeNotFound = (segments: string[]) =>
  segments.some((s) => /^\[.+\]$/.test(s)) || /\bnotFound\(\)/.test(fs.readFileSync(path.join(APP, ...segments, "page.tsx"), "utf8"));

describe("loading boundaries", () => {
  it("wrap no page that can answer 404", () => {
    const wrapped = pages()
      .filter(canBeNotFound)
      .flatMap((s) => loadingAbove(s).map((l) => `${s.join("/")}/page.tsx under ${l}`));
    expect(wrapped).toEqual([]);
  });

  it("finds the detail pages it guards", () => {
    const guarded = pages().filter(canBeNotFound).map((s) => s.join("/"));
    expect(guarded).toEqual(expect.arrayContaining(["(dashboard)/batches/[id]", "(dashboard)/files/[id]", "(dashboard)/jobs/[id]", "(dashboard)/audit"]));
  });

  it("give every dashboard detail page a Suspense boundary of its own, below its notFound()", () => {
    const details = pages().filter((s) => s[0] === "(dashboard)" && s.some((x) => /^\[.+\]$/.test(x)));
    expect(details.length).toBeGreaterThanOrEqual(5);
    const without = details
      .map((s) => [s.join("/"), fs.readFileSync(path.join(APP, ...s, "page.tsx"), "utf8")] as const)
      .filter(([, src]) => {
        const boundary = src.indexOf("<Suspense fallback=");
        const check = src.search(/\bnotFound\(\)/);
        return boundary === -1 || check === -1 || check > boundary;
      })
      .map(([name]) => name);
    expect(without).toEqual([]);
  });
});

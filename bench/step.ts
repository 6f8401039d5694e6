// One measured step of `npm run bench`, run in a process of its own so that its peak memory is its
// own. Prints one JSON line: {seconds, peakRssMB, baseRssMB, ...figures}.
// usage: step.ts <import|tokens|ingest|query|load|export|sandbox|million|job-export> <dataDir | postgresql://...> <file...> (export: <out.csv> [guide]), or step.ts csv - <input.csv> <out.jsonl> [cells.jsonl]
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import OpenAI from "openai";
import { openDatabase, setDatabase } from "@/lib/db/client";
import { handleUpload } from "@/lib/files/upload";
import { ingestResults } from "@/lib/batches/engine/ingest";
import { adapterFor } from "@/lib/providers/adapters";
import { profileOf } from "@/lib/providers/profiles";
import { browseResults, countResults, countView, resultFacets, viewCount } from "@/lib/results/browse";
import { computeStats } from "@/lib/results/stats";
import { buildSearchDocs, searchDocsReady } from "@/lib/results/search-docs";
import { sql } from "@/lib/db/sql";
import type { BrowseQuery } from "@/lib/results/types";
import { resultsCsv } from "@/lib/results/export";
import { serve } from "@/lib/test/http";
import { readEvents, uploadRequest } from "./upload-request";

const [step, dataDir, ...files] = process.argv.slice(2);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// The limits open a database of their own (PGlite) or a plain client (PostgreSQL).
if (step === "limits") {
  const { limitsStep } = await import("./limits-step");
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const f = await limitsStep(dataDir, files[0], files[1] === "results");
  clearInterval(sampler);
  console.log(JSON.stringify({ seconds: f.copySeconds, peakRssMB: mb(peak), baseRssMB: mb(base), ...f }));
  process.exit(0);
}

// CSV -> requests needs no database (nor does its Python peer): measured before one is opened.
if (step === "csv") {
  const { csvStep } = await import("./csv-step");
  console.log(JSON.stringify(await csvStep(files)));
  process.exit(0);
}

const h = await openDatabase(/^postgres(ql)?:/.test(dataDir) ? { url: dataDir } : { dataDir });
setDatabase(h);
const prisma = h.prisma;
let baseRss = process.memoryUsage().rss;
let peakRss = baseRss;
/** What the import is doing (receiving, checking, storing), for the peak memory of each phase. */
let phase = "receiving";
const phasePeak: Record<string, number> = {};
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  phasePeak[phase] = Math.max(phasePeak[phase] ?? 0, rss);
}, 20);

async function fixture(name = "bench") {
  const team = (await prisma.team.findFirst({ where: { name } })) ?? (await prisma.team.create({ data: { name } }));
  return team;
}

/** When the measured work starts: a step may move it past its setup (finding the batch, say). */
let t0 = performance.now();
let extra: Record<string, unknown> = {};

if (step === "import") {
  // Through the real upload handler: a multipart body streamed from the file, parsed as a stream to
  // a temp file, validated, stored; the NDJSON progress read to its end.
  // "alone", "capped": in a team of its own, so that the same file uploaded again is not found as a
  // duplicate of the bench team's (and answered at once).
  const team = await fixture(files[1] === "alone" || files[1] === "capped" ? `bench-${files[1]}` : "bench");
  const file = files[0];
  const request = await uploadRequest(file);
  const uploadsDir = fs.mkdtempSync(path.join(path.dirname(file), "uploads-"));
  // "estimate": also time the launch form's estimate asked the moment the upload ends (its token
  // count starts when the file is stored); otherwise the upload alone.
  const estimate = files[1] === "estimate";
  if (estimate) {
    // As a server does when it starts (lib/server/start.ts): the token worker builds its table, and
    // what the upload adds is measured from there.
    const { preloadTokenizer } = await import("@/lib/tokens/off-thread");
    await preloadTokenizer();
    baseRss = peakRss = process.memoryUsage().rss;
    t0 = performance.now();
  }
  const res = await handleUpload(request, { teamId: team.id, userId: null }, { dataDir: uploadsDir, countTokens: estimate });
  // The progress is read as it comes, so the peak memory of each phase is known.
  /** When each phase began, in seconds from the start (receiving: 0). */
  const phaseAt: Record<string, number> = {};
  const events = await readEvents(res, (e) => {
    const next = e.type === "progress" ? e.phase! : e.type;
    if (next !== phase) phaseAt[next] = (performance.now() - t0) / 1000;
    phase = next;
  });
  const done = events.at(-1);
  if (res.status !== 200 || done?.type !== "done" || done.file?.status !== "valid") throw new Error(`bench upload failed: ${res.status} ${JSON.stringify(done)}`);
  if (estimate) {
    // Out of the upload's time and memory: what the user waits for at the launch form.
    const uploadEnd = performance.now();
    const uploadPeak = peakRss;
    const { fileTokens } = await import("@/lib/tokens/file");
    const cacheDir = path.join(uploadsDir, "token-counts");
    const at = performance.now();
    const first = await fileTokens(prisma, team.id, done.file.id, { cacheDir });
    const estimateFirstSeconds = (performance.now() - at) / 1000;
    const again = performance.now();
    await fileTokens(prisma, team.id, done.file.id, { cacheDir });
    extra = { estimateFirstSeconds, estimateAgainSeconds: (performance.now() - again) / 1000, countSeconds: first.seconds };
    t0 += performance.now() - uploadEnd;
    peakRss = uploadPeak;
    phase = "estimate";
  }
  // The upload asks for the estimate's count once more after it answers (countSoon, from the cache
  // just written): let that read end before the cache and the database go, out of the figures.
  const settling = performance.now();
  await new Promise((r) => setTimeout(r, 300));
  t0 += performance.now() - settling;
  fs.rmSync(uploadsDir, { recursive: true, force: true });
  extra = { ...extra, requests: done.file.requestCount, bytes: fs.statSync(file).size, fileId: done.file.id, phasePeakMB: Object.fromEntries(Object.entries(phasePeak).map(([k, v]) => [k, mb(v)])), phaseAt };
} else if (step === "ingest") {
  // The results come over real HTTP from a minimal provider serving the two files, as in production.
  const [output, errors] = files;
  const provider = await serve(async (req) => {
    const id = new URL(req.url).pathname.split("/").at(-2);
    const file = id === "file-out" ? output : errors;
    return new Response(fs.createReadStream(file) as unknown as ReadableStream, { headers: { "content-type": "application/jsonl" } });
  });
  const team = await fixture();
  const input = await prisma.inputFile.findFirstOrThrow({ where: { teamId: team.id }, orderBy: { createdAt: "desc" } });
  const conn = await prisma.providerConnection.upsert({
    where: { teamId_name: { teamId: team.id, name: "bench" } },
    update: {},
    create: { teamId: team.id, kind: "openai-compatible", name: "bench", baseUrl: provider.url, encryptedKey: "-", keyLast4: "-" },
  });
  const batch = await prisma.batch.create({
    data: {
      teamId: team.id, connectionId: conn.id, inputFileId: input.id, name: "bench", endpoint: "/v1/chat/completions",
      completionWindow: "24h", idempotencyKey: `bench-${Date.now()}`, status: "COMPLETED", outputFileId: "file-out", errorFileId: "file-err",
    },
  });
  // The adapter every OpenAI-compatible provider is read through, as the sync worker uses it.
  const target = { kind: "openai-compatible", baseUrl: provider.url, apiKey: "bench", profile: profileOf("openai-compatible") };
  const r = await ingestResults(prisma, batch, adapterFor("openai-compatible").connect(target, { maxRetries: 0 }));
  await provider.close();
  extra = { results: r.resultCount, skipped: r.skippedLines };
} else if (step === "query") {
  // The results page as the browser reads it (browseResults): the first page with its count, then
  // the pages a scroll fetches (keyset cursors), a filter, a token sort and searches.
  const batch = await prisma.batch.findFirstOrThrow({ where: { name: "bench" }, orderBy: { createdAt: "desc" } });
  const rows = await prisma.result.count({ where: { batchId: batch.id } });
  const times: Record<string, number[]> = { first: [], scroll: [], filter: [], sort: [], search: [], searchCount: [], rare: [], facets: [] };
  // The facets and counts a results view asks for (?facets=1, the view's counts): counted over the
  // rows (what every call did before they were kept: the limit), then the first call, which counts
  // and keeps them, then kept ones in every round below.
  const ms = async (f: () => Promise<unknown>) => {
    const s = performance.now();
    await f();
    return performance.now() - s;
  };
  const countedMs = Math.min(await ms(() => computeStats(sql(prisma), batch.id)), await ms(() => computeStats(sql(prisma), batch.id)));
  await prisma.resultStats.deleteMany({ where: { batchId: batch.id } });
  const firstFacetsMs = await ms(() => Promise.all([resultFacets(prisma, batch.id), countResults(prisma, batch.id)]));
  // The first round warms the process (a fresh one: PGlite's WebAssembly compiled by tiers, the
  // catalog caches empty): a server that has answered a few calls. Its first call is reported apart.
  let warm = false;
  let coldFirstMs = 0;
  let capped = 0;
  const time = async (kind: string, q: BrowseQuery) => {
    const s = performance.now();
    const page = await browseResults(prisma, batch.id, q);
    if (warm) times[kind].push(performance.now() - s);
    else if (!coldFirstMs) coldFirstMs = performance.now() - s;
    if (page.totalCapped) capped++;
    return page;
  };
  // A custom_id of the batch (one row), and a text no row holds: the whole batch read.
  const someId = (await prisma.result.findFirstOrThrow({ where: { batchId: batch.id }, orderBy: { id: "desc" }, select: { customId: true } })).customId;
  // The rare search as it reads Result and Request, before the batch's search texts are written
  // (lib/results/search-docs.ts; the sync worker writes them once the batch is over), then their writing.
  // A batch the worker synced (--million) has them already.
  const rareBefore: number[] = [];
  let docsMs: number | undefined;
  if (!(await searchDocsReady(sql(prisma), batch.id))) {
    for (let i = 0; i < 3; i++) {
      for (const q of [someId, "zqxjv"]) rareBefore.push(await ms(() => browseResults(prisma, batch.id, { q, count: viewCount({ q }) })));
    }
    const docs = await buildSearchDocs(prisma, batch.id);
    if (!docs) throw new Error("the search texts were not written");
    docsMs = docs.ms;
  }
  for (let round = 0; round < 6; round++) {
    warm = round > 0;
    let page = await time("first", { count: true });
    if (page.rows.length === 0) throw new Error("empty page");
    // A long scroll: 40 pages of 100 in a row.
    for (let i = 0; i < 40 && page.nextCursor; i++) page = await time("scroll", { after: page.nextCursor });
    await time("filter", { status: "failed", count: true });
    const sorted = await time("sort", { sort: "-total_tokens", count: true });
    if (sorted.nextCursor) await time("sort", { sort: "-total_tokens", after: sorted.nextCursor });
    // A search as the results view asks for it (viewCount): the first page, counted only when it
    // holds every match; then its count apart (capped), which the view shows when it comes.
    for (const q of [{ q: "批处理" }, { q: "quoted", status: "succeeded" as const }]) {
      const page = await time("search", { ...q, count: viewCount(q) });
      if (page.total == null) {
        const s = performance.now();
        const c = await countView(prisma, batch.id, q);
        if (warm) times.searchCount.push(performance.now() - s);
        if (c.totalCapped) capped++;
      }
    }
    await time("rare", { q: someId, count: viewCount({ q: someId }) });
    await time("rare", { q: "zqxjv", count: viewCount({ q: "zqxjv" }) });
    for (let i = 0; i < 5 && warm; i++) {
      const s = performance.now();
      await Promise.all([resultFacets(prisma, batch.id), countResults(prisma, batch.id)]);
      times.facets.push(performance.now() - s);
    }
  }
  const p = (t: number[], q: number) => {
    const s = [...t].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
  };
  // The pages alone, as before (the facets have their own figures).
  const all = Object.entries(times).filter(([k]) => k !== "facets" && k !== "searchCount").flatMap(([, t]) => t);
  const by = Object.fromEntries(Object.entries(times).map(([k, t]) => [`${k}P50ms`, p(t, 0.5)]));
  const p95 = Object.fromEntries(Object.entries(times).map(([k, t]) => [`${k}P95ms`, p(t, 0.95)]));
  const round = (n: number) => Math.round(n * 10) / 10;
  extra = { queries: all.length, p50ms: p(all, 0.5), p95ms: p(all, 0.95), ...by, ...p95, rows, facetsCountedMs: round(countedMs), facetsFirstMs: round(firstFacetsMs), coldFirstMs: round(coldFirstMs), cappedCounts: capped, ...(docsMs === undefined ? {} : { rareBeforeDocsP50ms: p(rareBefore, 0.5), rareBeforeDocsP95ms: p(rareBefore, 0.95), searchDocsMs: docsMs }) };
} else if (step === "load") {
  // 50 clients at once on the results endpoint's reads (browseResults, as the route calls it), each
  // asking its next page as soon as the last one came: first pages with counts, scrolls, the failed
  // filter, token sorts, for LOAD_SECONDS. One process and its database pool, as one server.
  const batch = await prisma.batch.findFirstOrThrow({ where: { name: "bench" }, orderBy: { createdAt: "desc" } });
  const clients = Number(files[0] ?? 50);
  const seconds = Number(files[1] ?? 20);
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  const kinds: BrowseQuery[] = [{ count: true }, { status: "failed", count: true }, { sort: "-total_tokens", count: true }];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let cursor: string | null = null;
      for (let i = c; performance.now() < end; i++) {
        // Mostly scrolling, as a reader does: a new view every tenth call.
        const q: BrowseQuery = cursor && i % 10 !== 0 ? { after: cursor } : kinds[i % kinds.length];
        const s = performance.now();
        const page = await browseResults(prisma, batch.id, q);
        times.push(performance.now() - s);
        cursor = q.sort || q.status ? null : page.nextCursor;
      }
    }),
  );
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;
  extra = { clients, calls: times.length, perSecond: Math.round((times.length / seconds) * 10) / 10, p50ms: at(0.5), p95ms: at(0.95) };
} else if (step === "million") {
  // A job of parts on the Sandbox, from the upload to the last part's results (bench/million-step.ts).
  const { millionStep } = await import("./million-step");
  const sampler = {
    get name() {
      return phase;
    },
    set name(v: string) {
      phase = v;
    },
    peaks: phasePeak,
  };
  extra = await millionStep(prisma, files[0], sampler);
  extra.phasePeakMB = Object.fromEntries(Object.entries(phasePeak).map(([k, v]) => [k, mb(v)]));
} else if (step === "job-export") {
  // The job's combined CSV ("Download CSV" on the job page): every part's results, streamed.
  // A file that fits one batch was launched as one: its own export then.
  const { jobResultsCsv } = await import("@/lib/batches/read/job-view");
  const job = await prisma.job.findFirst({ where: { name: "bench" }, orderBy: { createdAt: "desc" }, select: { id: true } });
  const parts = job
    ? await prisma.batch.findMany({ where: { jobId: job.id }, orderBy: { jobPart: "asc" }, select: { id: true } })
    : [await prisma.batch.findFirstOrThrow({ where: { name: "bench" }, orderBy: { createdAt: "desc" }, select: { id: true } })];
  t0 = performance.now();
  await pipeline(jobResultsCsv(prisma, parts.map((p) => p.id)), fs.createWriteStream(files[0]));
  extra = { bytes: fs.statSync(files[0]).size, parts: parts.length };
} else if (step === "tokens") {
  const { tokensStep } = await import("./tokens-step");
  extra = await tokensStep(prisma);
} else if (step === "export") {
  const batch = await prisma.batch.findFirstOrThrow({ where: { name: "bench" }, orderBy: { createdAt: "desc" } });
  // The click on "Download CSV" in a running server: the process and its database client are up.
  t0 = performance.now();
  const out = files[0];
  // "guide": the nine columns the guide's script writes, the peer's own output; otherwise every field.
  const opts = files[1] === "guide" ? { layout: "guide" as const } : {};
  await pipeline(resultsCsv(prisma, batch.id, {}, opts), fs.createWriteStream(out));
  const first = (performance.now() - t0) / 1000;
  // The same download again: a server that has run a while (code compiled, pages in PGlite's cache).
  const t1 = performance.now();
  await pipeline(resultsCsv(prisma, batch.id, {}, opts), fs.createWriteStream(out));
  extra = { bytes: fs.statSync(out).size, warmSeconds: Math.round(performance.now() - t1) / 1000 };
  t0 = performance.now() - first * 1000;
} else if (step === "sandbox") {
  // The built-in sandbox as a provider sees a launch: the input file uploaded over HTTP through the
  // SDK, the batch created (the input read to check every line) and run at full speed, the output
  // file written when it ends and downloaded.
  // Its secrets (the sandbox keys are HMACs) and anything it keeps on disk go to a folder of its own.
  const own = fs.mkdtempSync(path.join(path.dirname(files[0]), "sandbox-"));
  process.env.DATA_DIR = own;
  const { handleSandboxRequest } = await import("@/lib/providers/sandbox/server");
  const { sandboxKeyForTeam } = await import("@/lib/providers/sandbox/keys");
  const team = await fixture();
  const server = await serve(handleSandboxRequest);
  const client = new OpenAI({ apiKey: sandboxKeyForTeam(team.id), baseURL: `${server.url}/v1`, maxRetries: 0 });
  const lap = (() => {
    let t = performance.now();
    return () => {
      const s = Math.round(performance.now() - t) / 1000;
      t = performance.now();
      return s;
    };
  })();
  const file = await client.files.create({ file: fs.createReadStream(files[0]), purpose: "batch" });
  const uploadSeconds = lap();
  const batch = await client.batches.create({
    input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { sandbox_ms_per_request: "0" },
  });
  const createSeconds = lap();
  let done = await client.batches.retrieve(batch.id);
  while (done.status !== "completed") {
    await new Promise((r) => setTimeout(r, 50));
    done = await client.batches.retrieve(batch.id);
  }
  const finishSeconds = lap();
  let bytes = 0;
  for await (const chunk of (await client.files.content(done.output_file_id!)).body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  const downloadSeconds = lap();
  await server.close();
  fs.rmSync(own, { recursive: true, force: true });
  extra = { requests: done.request_counts?.total, bytes: fs.statSync(files[0]).size, outputBytes: bytes, uploadSeconds, createSeconds, finishSeconds, downloadSeconds };
} else {
  throw new Error(`unknown step ${step}`);
}

const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
await h.close();
console.log(JSON.stringify({ seconds, peakRssMB: mb(peakRss), baseRssMB: mb(baseRss), ...extra }));

// The `tokens` figure of `npm run bench`: the tokens of the 50,000-request bench file (as imported by
// the `import` step), counted from its Request rows the way the launch form's cost estimate does
// (lib/tokens/file.ts): cold (the tokenizer table loaded, rows read page by page), warm (the same
// process again), and from the per-file cache a later estimate reads.
// In bench/step.ts: `else if (step === "tokens") extra = await tokensStep(prisma);`
// Alone: node --import ./bench/react-server.mjs --conditions=react-server --import tsx bench/tokens-step.ts <dataDir | postgresql://...>
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, setDatabase, type Db } from "@/lib/db/client";
import { countFileTokens, fileTokens } from "@/lib/tokens/file";

export async function tokensStep(prisma: Db, fileId?: string) {
  const file = fileId
    ? await prisma.inputFile.findUniqueOrThrow({ where: { id: fileId } })
    : await prisma.inputFile.findFirstOrThrow({ where: { team: { name: "bench" }, status: "valid" }, orderBy: { createdAt: "desc" } });
  const round = (s: number) => Math.round(s * 1000) / 1000;

  let t = performance.now();
  const cold = await countFileTokens(prisma, file.id, file.endpoint);
  const coldSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  await countFileTokens(prisma, file.id, file.endpoint);
  const warmSeconds = (performance.now() - t) / 1000;

  // The cache the estimate keeps: written once, then read.
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-bench-tokens-"));
  await fileTokens(prisma, file.teamId, file.id, { cacheDir });
  t = performance.now();
  const cached = await fileTokens(prisma, file.teamId, file.id, { cacheDir });
  const cachedSeconds = (performance.now() - t) / 1000;
  fs.rmSync(cacheDir, { recursive: true, force: true });
  if (cached.requests !== cold.requests) throw new Error("cached token counts differ");

  const inputTokens = cold.models.reduce((a, m) => a + m.inputTokens, 0);
  return {
    seconds: round(coldSeconds),
    warmSeconds: round(warmSeconds),
    cachedSeconds: round(cachedSeconds),
    requests: cold.requests,
    inputTokens,
    requestsPerSecond: Math.round(cold.requests / coldSeconds),
    models: cold.models.map((m) => `${m.model} (${m.exact ? m.encoding : `${m.encoding} as an estimate`})`).join(", "),
  };
}

// Run alone: open the bench database, count, print one JSON line.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, "tokens-step.ts")) {
  const target = process.argv[2];
  if (!target) throw new Error("usage: tokens-step.ts <dataDir | postgresql://...> [fileId]");
  const h = await openDatabase(/^postgres(ql)?:/.test(target) ? { url: target } : { dataDir: target });
  setDatabase(h);
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const out = await tokensStep(h.prisma, process.argv[3]);
  clearInterval(sampler);
  await h.close();
  const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  console.log(JSON.stringify({ ...out, peakRssMB: mb(Math.max(peak, process.memoryUsage().rss)), baseRssMB: mb(baseRss) }));
}

// The `csv` step of `npm run bench` (run through bench/step.ts, in a process of its own): converts
// a CSV to a JSONL batch file with lib/csv, the way the Bailian guide's reference_csv_to_jsonl.py
// does (custom_id column, the second column as the user message, a fixed system prompt, qwen-turbo),
// and reports its time and peak memory. No database is opened: the peer has none either.
// usage: step.ts csv - <input.csv> <out.jsonl> [cells.jsonl]
import { csvToJsonl } from "@/lib/csv/convert";
import { csvMapping } from "@/lib/csv/mapping";

export const guideMapping = csvMapping.parse({
  customId: { from: "column", column: "custom_id" },
  template: "{{content}}",
  systemPrompt: "You are a helpful assistant.",
  model: "qwen-turbo",
});

export async function csvStep([input, output, cellsPath]: string[]) {
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const r = await csvToJsonl(input, guideMapping, output, { cellsPath });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (!r.valid) throw new Error(`bench CSV conversion found problems: ${JSON.stringify(r.problems.slice(0, 3))}`);
  return { seconds, peakRssMB: mb(peakRss), baseRssMB: mb(baseRss), requests: r.requests, bytes: r.bytesIn, bytesOut: r.bytesOut, encoding: r.encoding, delimiter: r.delimiter };
}

"use client";
// The batch's results beside the requests that produced them: 50 a page, filtered by outcome and
// searched by text. Filter, search and page live in the URL (a link shows the same rows), and are
// changed through the History API, which Next keeps in step with useSearchParams without asking
// the server to render the page again.
import { useEffect, useState } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { BatchView, Paged, ResultRow } from "@/lib/batches/queries";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import type { InitialResults } from "./batch-client";
import { fetchJson, num } from "./fetch-json";
import { Pager } from "./pager";
import { parseResultParams, resultParamsQuery, type ResultParams, type ResultStatusParam } from "./result-params";
import { ClampText } from "./clamp-text";

const same = (a: ResultParams, b: ResultParams) => a.page === b.page && a.status === b.status && a.q === b.q;

export function ResultsSection({ batch, initial }: { batch: BatchView; initial: InitialResults | null }) {
  const pathname = usePathname();
  const params = parseResultParams(useSearchParams());
  // New rows (partial results, then the final ingest) must refetch the page even if the URL is unchanged.
  const version = `${batch.resultCounts.all}:${batch.resultsIngestedAt ?? ""}`;
  const [initialVersion] = useState(version);

  const navigate = (next: Partial<ResultParams>, push = false) => {
    const url = pathname + resultParamsQuery({ ...params, ...next });
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  };

  // The search box follows the URL (back button), and the URL follows the box after a pause in typing.
  const [text, setText] = useState(params.q);
  const [urlQ, setUrlQ] = useState(params.q);
  if (urlQ !== params.q) {
    setUrlQ(params.q);
    setText(params.q);
  }
  useEffect(() => {
    if (text.trim() === params.q) return;
    const t = setTimeout(() => navigate({ q: text.trim(), page: 1 }), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- navigate reads the current params; only typing should trigger this
  }, [text]);

  const hasResults = batch.resultCounts.all > 0;
  // Rows while the batch still runs come from a provider that serves results early (Doubleword).
  const partial = hasResults && !batch.terminal;
  const expected = batch.total > 0 ? batch.total : batch.inputFile.requestCount;
  const { data, isFetching, error } = useQuery({
    queryKey: ["results", batch.id, params.page, params.status, params.q, version],
    queryFn: ({ signal }) => fetchJson<Paged<ResultRow>>(`/api/batches/${batch.id}/results${resultParamsQuery(params)}`, signal),
    initialData: initial && same(initial.params, params) && version === initialVersion ? initial.data : undefined,
    placeholderData: keepPreviousData,
    enabled: hasResults,
  });

  const filterQuery = resultParamsQuery({ status: params.status, q: params.q });
  const filtered = params.status !== "all" || params.q !== "";

  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 className="text-sm font-semibold text-slate-900">Results</h2>
          <p className="mt-0.5 text-sm text-slate-500">
            {hasResults ? (
              <>
                {num(batch.resultCounts.all)} stored: {num(batch.resultCounts.succeeded)} succeeded, {num(batch.resultCounts.failed)} failed
                {!batch.resultsIngestedAt && !partial && " (more on the way)"}
              </>
            ) : (
              "Each answer beside its prompt, once the provider returns them."
            )}
          </p>
        </div>
        {hasResults && (
          <div className="flex flex-wrap items-center gap-2">
            <a href={`/api/batches/${batch.id}/export.csv${filterQuery}`} download className={buttonClass("primary", "sm")}>
              Download CSV{filtered && " (filtered)"}
            </a>
            <a
              href={`/api/batches/${batch.id}/export.csv${filterQuery ? `${filterQuery}&bom=1` : "?bom=1"}`}
              download
              className={buttonClass("secondary", "sm")}
              title="The same CSV with a byte order mark, so that Excel reads Chinese and other non-Latin text correctly"
            >
              CSV for Excel
            </a>
            {batch.resultCounts.succeeded > 0 && (
              <a href={`/api/batches/${batch.id}/output.jsonl`} download className={buttonClass("secondary", "sm")} title="The provider's output lines">
                output.jsonl
              </a>
            )}
            {batch.resultCounts.failed > 0 && (
              <a href={`/api/batches/${batch.id}/errors.jsonl`} download className={buttonClass("secondary", "sm")} title="The provider's error lines">
                errors.jsonl
              </a>
            )}
          </div>
        )}
      </div>

      {partial && (
        <p role="status" className="flex items-start gap-2 border-b border-slate-100 bg-brand-50 px-5 py-2.5 text-sm text-slate-700">
          <span className="mt-1.5 h-1.5 w-1.5 shrink-0 animate-pulse rounded-full bg-brand-500" aria-hidden />
          <span>
            <span className="font-medium text-brand-700">
              Partial results: {num(batch.resultCounts.all)}
              {expected > 0 && ` of ${num(expected)}`} so far
            </span>{" "}
            — the provider serves results while the batch runs. This list and the downloads hold what has arrived and grow until the batch ends.
          </span>
        </p>
      )}
      {!hasResults ? (
        <NoResults batch={batch} />
      ) : (
        <>
          <div className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
            <div className="inline-flex rounded-md bg-slate-100 p-0.5" role="group" aria-label="Show results">
              {(
                [
                  ["all", "All", batch.resultCounts.all],
                  ["succeeded", "Succeeded", batch.resultCounts.succeeded],
                  ["failed", "Failed", batch.resultCounts.failed],
                ] as [ResultStatusParam, string, number][]
              ).map(([value, label, count]) => (
                <button
                  key={value}
                  type="button"
                  aria-pressed={params.status === value}
                  onClick={() => navigate({ status: value, page: 1 })}
                  className={cn(
                    "rounded px-3 py-1 text-sm font-medium",
                    params.status === value ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900",
                  )}
                >
                  {label} <span className="tabular-nums text-slate-400">{num(count)}</span>
                </button>
              ))}
            </div>
            <div className="relative w-full max-w-sm">
              <input
                type="search"
                aria-label="Search results"
                placeholder="Search custom_id, prompt or answer"
                value={text}
                onChange={(e) => setText(e.target.value)}
                className={inputClass}
              />
              {isFetching && <span className="absolute right-8 top-2.5 h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-500" aria-label="Searching" />}
            </div>
          </div>
          {error && <p className="px-5 pb-3 text-sm text-red-700">Could not load results: {error.message}</p>}
          {data && data.rows.length > 0 ? (
            <ResultsTable rows={data.rows} dim={isFetching} />
          ) : data ? (
            <div className="border-t border-slate-100 px-5 py-10 text-center text-sm text-slate-500">
              {params.q ? <>No result matches “{params.q}”{params.status !== "all" && ` among the ${params.status} ones`}.</> : `No ${params.status} results.`}{" "}
              <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => navigate({ status: "all", q: "", page: 1 })}>
                Show all results
              </button>
            </div>
          ) : (
            <div className="border-t border-slate-100 px-5 py-10 text-center text-sm text-slate-500">Loading results…</div>
          )}
          {data && (
            <Pager
              page={data.page}
              pageCount={data.pageCount}
              summary={filtered ? `${num(data.total)} matching` : `${num(data.total)} results`}
              onPage={(p) => navigate({ page: p }, true)}
            />
          )}
        </>
      )}
    </Card>
  );
}

function NoResults({ batch }: { batch: BatchView }) {
  let text: string;
  if (batch.live && !batch.terminal) text = "Results appear here as the provider returns them. This page updates by itself; you can leave and come back.";
  else if (batch.live) text = "The batch has ended; its results are being stored now.";
  else if (batch.status === "FAILED") text = "The batch failed before any request ran, so there are no results. The provider's reason is shown above.";
  else text = "The provider returned no results for this batch.";
  return <p className="px-5 py-10 text-center text-sm text-slate-500">{text}</p>;
}

function ResultsTable({ rows, dim }: { rows: ResultRow[]; dim: boolean }) {
  return (
    <div className={cn("overflow-x-auto border-t border-slate-100 transition-opacity", dim && "opacity-60")}>
      <table className="min-w-full table-fixed divide-y divide-slate-100 text-sm">
        <colgroup>
          <col className="w-36" />
          <col className="w-[32%]" />
          <col />
          <col className="w-24" />
          <col className="w-28" />
        </colgroup>
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2.5 normal-case">custom_id</th>
            <th scope="col" className="px-4 py-2.5">Prompt</th>
            <th scope="col" className="px-4 py-2.5">Answer or error</th>
            <th scope="col" className="px-4 py-2.5">Status</th>
            <th scope="col" className="px-4 py-2.5" title="prompt / completion (reasoning)">Tokens</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {rows.map((r) => (
            <tr key={r.id}>
              <td className="break-all px-4 py-3 font-mono text-xs text-slate-700">{r.customId}</td>
              <td className="px-4 py-3 text-slate-700">{r.prompt ? <ClampText text={r.prompt} /> : <span className="text-slate-400">—</span>}</td>
              <td className="px-4 py-3">
                {r.succeeded ? (
                  <>
                    {r.reasoningContent && (
                      <details className="mb-2 rounded-md bg-slate-50 px-3 py-2 text-slate-600">
                        <summary className="cursor-pointer text-xs font-medium text-slate-500">
                          Reasoning{r.reasoningTokens != null && ` (${num(r.reasoningTokens)} tokens)`}
                        </summary>
                        <ClampText text={r.reasoningContent} className="mt-1.5 text-xs" />
                      </details>
                    )}
                    {r.content ? <ClampText text={r.content} className="text-slate-900" /> : <span className="text-slate-400">(empty answer)</span>}
                    {r.finishReason && r.finishReason !== "stop" && r.finishReason !== "end_turn" && <p className="mt-1 text-xs text-amber-700">Stopped: {r.finishReason}</p>}
                  </>
                ) : (
                  <div className="text-red-700">
                    {r.errorCode && <p className="font-mono text-xs font-medium">{r.errorCode}</p>}
                    <ClampText text={r.errorMessage ?? "Failed without a message."} />
                  </div>
                )}
              </td>
              <td className="px-4 py-3">
                {r.succeeded ? (
                  <span className="inline-flex rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-inset ring-emerald-200">
                    {r.statusCode ?? "ok"}
                  </span>
                ) : (
                  <span className="inline-flex rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-200">
                    {r.statusCode ? `${r.statusCode} failed` : "failed"}
                  </span>
                )}
              </td>
              <td className="px-4 py-3 text-xs tabular-nums text-slate-600">
                {r.promptTokens != null || r.completionTokens != null ? (
                  <span title={`${r.promptTokens ?? "?"} prompt, ${r.completionTokens ?? "?"} completion${r.reasoningTokens != null ? `, ${r.reasoningTokens} of them reasoning` : ""}`}>
                    {num(r.promptTokens ?? 0)} / {num(r.completionTokens ?? 0)}
                    {r.reasoningTokens != null && <span className="block text-slate-400">{num(r.reasoningTokens)} reasoning</span>}
                  </span>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

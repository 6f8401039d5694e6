"use client";
// The batch's results browser: every result beside its prompt in a virtual table that loads keyset
// pages as it scrolls (fast at 50,000 rows), filtered by outcome, error code, finish reason and
// model, searched in prompt and answer, sorted by tokens, with a detail drawer and the downloads.
// The view (filters, sort, search, open row) lives in the URL, so a copied link shows a teammate
// the same thing; it changes through the History API, which Next keeps in step with
// useSearchParams without asking the server to render the page again. The columns shown are a
// per-user choice kept in localStorage.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { BatchView } from "@/lib/batches/read/view";
import type { ResultFacets, ResultsPage, ViewCount } from "@/lib/results/types";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import type { InitialResults } from "@/components/results/types";
import { DownloadMenu } from "@/components/results/download-menu";
import { ResultDrawer } from "@/components/results/result-drawer";
import { ResultsTable, type ResultsTableHandle } from "@/components/results/results-table";
import { ColumnChooser, useDescribeFilter, FacetSelect, SortSelect, StatusTabs } from "@/components/results/toolbar";
import { useColumnChoice } from "@/components/results/use-columns";
import { fetchJson, num } from "./fetch-json";
import { DEFAULT_RESULT_PARAMS, isFiltered, parseResultParams, resultParamsQuery, sameResultParams, type ResultParams } from "@/lib/results/params";

export function ResultsSection({ batch, initial }: { batch: BatchView; initial: InitialResults | null }) {
  const pathname = usePathname();
  const search = useSearchParams();
  const t = useTranslations("batches.results");
  const describeFilter = useDescribeFilter();
  const params = parseResultParams(search);
  const openId = /^\d{1,19}$/.test(search.get("row") ?? "") ? search.get("row") : null;
  // New rows (partial results, then the final ingest) must refetch the list even if the URL is unchanged.
  const version = `${batch.resultCounts.all}:${batch.resultsIngestedAt ?? ""}`;
  const [initialVersion] = useState(version);
  const [choice, setChoice] = useColumnChoice(initial?.viewer ?? "anonymous");
  const table = useRef<ResultsTableHandle>(null);
  const viewQuery = resultParamsQuery(params);

  const navigate = useCallback(
    (next: Partial<ResultParams>, row: string | null = openId) => {
      const url = pathname + resultParamsQuery({ ...params, ...next }, { row: row ?? undefined });
      window.history.replaceState(null, "", url);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- params is re-parsed from the URL each render; its fields are what matter
    [pathname, openId, viewQuery],
  );

  // The search box follows the URL (back button), and the URL follows the box after a pause in typing.
  const [text, setText] = useState(params.q);
  const [urlQ, setUrlQ] = useState(params.q);
  if (urlQ !== params.q) {
    setUrlQ(params.q);
    setText(params.q);
  }
  useEffect(() => {
    if (text.trim() === params.q) return;
    const t = setTimeout(() => navigate({ q: text.trim() }), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- navigate reads the current params; only typing should trigger this
  }, [text]);

  const hasResults = batch.resultCounts.all > 0;
  // Rows while the batch still runs come from a provider that serves results early (Doubleword).
  const partial = hasResults && !batch.terminal;
  const expected = batch.total > 0 ? batch.total : batch.inputFile.requestCount;
  const useInitial = Boolean(initial?.data) && sameResultParams(initial!.params, params) && version === initialVersion;
  const { data, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, error, isPlaceholderData } = useInfiniteQuery({
    queryKey: ["results", batch.id, viewQuery, version],
    queryFn: ({ pageParam, signal }) => {
      const q = resultParamsQuery(params, { after: pageParam ?? undefined });
      return fetchJson<ResultsPage>(`/api/batches/${batch.id}/results${q}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: useInitial ? { pages: [initial!.data!], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
    enabled: hasResults,
  });
  const { data: facets } = useQuery({
    queryKey: ["result-facets", batch.id, version],
    queryFn: ({ signal }) => fetchJson<ResultFacets>(`/api/batches/${batch.id}/results?facets=1`, signal),
    enabled: hasResults,
    staleTime: Infinity,
  });

  const rows = useMemo(() => data?.pages.flatMap((p) => p.rows) ?? [], [data]);
  const filtered = isFiltered(params);
  // A filtered view is counted by the server with its first page; the whole list is the batch's count.
  const page1 = data?.pages[0];
  // A search's first page comes without its count unless it holds every match: the count is asked
  // for once the page is shown (?count=1).
  const countLater = filtered && !isPlaceholderData && page1 != null && page1.total == null;
  const countQuery = resultParamsQuery({ ...params, sort: "" }, { count: "1" }); // the order does not change the count
  const { data: counted } = useQuery({
    queryKey: ["results-count", batch.id, countQuery, version],
    queryFn: ({ signal }) => fetchJson<ViewCount>(`/api/batches/${batch.id}/results${countQuery}`, signal),
    enabled: countLater,
    staleTime: Infinity,
  });
  const first = page1?.total != null ? page1 : countLater ? counted : undefined;
  // A search's count stops at a cap (lib/results/browse.ts): then it is a lower bound, shown as
  // "1,000+", until the rows loaded say more (past the cap) or all (the last page loaded).
  const capped = filtered && Boolean(first?.totalCapped);
  const atLeast = capped && Boolean(hasNextPage);
  const total = !filtered ? batch.resultCounts.all : first?.total == null ? null : capped ? (atLeast ? Math.max(first.total, rows.length) : rows.length) : first.total;
  const more = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const openIndex = openId ? rows.findIndex((r) => r.id === openId) : -1;
  const open = useCallback(
    (i: number) => {
      const r = rows[i];
      if (!r) return;
      navigate({}, r.id);
      table.current?.scrollToIndex(i);
    },
    [rows, navigate],
  );
  const move = useCallback(
    (delta: 1 | -1) => {
      const i = openIndex + delta;
      if (i >= 0 && i < rows.length) open(i);
      else if (delta === 1 && hasNextPage) void fetchNextPage();
    },
    [openIndex, rows.length, open, hasNextPage, fetchNextPage],
  );
  const close = useCallback(() => navigate({}, null), [navigate]);

  useEffect(() => {
    if (!openId) return;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName))) return;
      if (e.key === "Escape") close();
      else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        move(e.key === "ArrowDown" ? 1 : -1);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [openId, close, move]);

  const setFilter = (next: Partial<ResultParams>) => navigate(next, null);
  const described = describeFilter(params);

  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 className="text-sm font-semibold text-slate-900">{t("title")}</h2>
          <p className="mt-0.5 text-sm text-slate-500">
            {hasResults ? (
              <>
                {t("stored", { all: num(batch.resultCounts.all), succeeded: num(batch.resultCounts.succeeded), failed: num(batch.resultCounts.failed) })}
                {!batch.resultsIngestedAt && !partial && ` ${t("moreComing")}`}
              </>
            ) : (
              t("intro")
            )}
          </p>
        </div>
        {hasResults && (
          <DownloadMenu
            batchId={batch.id}
            params={params}
            filtered={filtered}
            choice={choice}
            onChoice={setChoice}
            hasSucceeded={batch.resultCounts.succeeded > 0}
            hasFailed={batch.resultCounts.failed > 0}
            hasSource={Boolean(facets?.sourceColumns)}
          />
        )}
      </div>

      {partial && (
        <p role="status" className="flex items-start gap-2 border-b border-slate-100 bg-brand-50 px-5 py-2.5 text-sm text-slate-700">
          <span className="mt-1.5 h-1.5 w-1.5 shrink-0 animate-pulse rounded-full bg-brand-500" aria-hidden />
          <span>
            <span className="font-medium text-brand-700">
              {expected > 0 ? t("partialOf", { n: num(batch.resultCounts.all), of: num(expected) }) : t("partial", { n: num(batch.resultCounts.all) })}
            </span>{" "}
            {t("partialNote")}
          </span>
        </p>
      )}
      {!hasResults ? (
        <NoResults batch={batch} />
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-2 px-5 py-3">
            <StatusTabs value={params.status} counts={batch.resultCounts} onChange={(status) => setFilter({ status })} />
            <FacetSelect label={t("errorCode")} value={params.code} options={facets?.codes} onChange={(code) => setFilter({ code })} />
            <FacetSelect label={t("finishReason")} value={params.finish} options={facets?.finishReasons} onChange={(finish) => setFilter({ finish })} />
            <FacetSelect label={t("model")} value={params.model} options={facets?.models} onChange={(model) => setFilter({ model })} />
            <SortSelect value={params.sort} onChange={(sort) => setFilter({ sort })} />
            <div className="relative ml-auto w-full max-w-xs">
              <input
                type="search"
                aria-label={t("search")}
                placeholder={t("searchPlaceholder")}
                value={text}
                onChange={(e) => setText(e.target.value)}
                className={inputClass}
              />
              {isFetching && !isFetchingNextPage && (
                <span className="absolute right-8 top-2.5 h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-500" aria-label={t("searching")} />
              )}
            </div>
            <ColumnChooser columns={choice.columns} onChange={(columns) => setChoice({ columns })} />
          </div>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 pb-2 text-xs text-slate-500">
            <span className="tabular-nums" data-testid="results-count">
              {total == null ? "…" : filtered ? t(atLeast ? "matchingAtLeast" : "matching", { n: num(total) }) : t("count", { n: num(total) })}
            </span>
            {rows.length > 0 && total != null && (atLeast || rows.length < total) && <span className="tabular-nums">{t("loaded", { n: num(rows.length) })}</span>}
            {filtered && (
              <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setFilter({ ...DEFAULT_RESULT_PARAMS, sort: params.sort })}>
                {t("clearFilters")}
              </button>
            )}
            <span className="ml-auto hidden sm:inline">{t("keys")}</span>
          </div>
          {error && <p className="px-5 pb-3 text-sm text-red-700">{t("failed", { message: error.message })}</p>}
          {rows.length > 0 ? (
            <ResultsTable
              ref={table}
              rows={rows}
              columns={choice.columns}
              hasMore={Boolean(hasNextPage)}
              loadingMore={isFetchingNextPage}
              onMore={more}
              selectedId={openId}
              onOpen={open}
              dim={isPlaceholderData}
            />
          ) : data ? (
            <div className="border-t border-slate-100 px-5 py-10 text-center text-sm text-slate-500">
              {params.q
                ? described
                  ? t("noMatchAmong", { q: params.q, described })
                  : t("noMatch", { q: params.q })
                : described
                  ? t("noneWith", { described })
                  : t("none")}{" "}
              <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setFilter(DEFAULT_RESULT_PARAMS)}>
                {t("showAll")}
              </button>
            </div>
          ) : (
            <div className="border-t border-slate-100 px-5 py-10 text-center text-sm text-slate-500">{t("loading")}</div>
          )}
        </>
      )}
      {openId && (
        <ResultDrawer
          batchId={batch.id}
          row={rows[openIndex] ?? { id: openId }}
          position={openIndex >= 0 ? t(atLeast ? "positionAtLeast" : "position", { n: num(openIndex + 1), of: total != null ? num(total) : num(rows.length) }) : null}
          onClose={close}
          onMove={move}
        />
      )}
    </Card>
  );
}

function NoResults({ batch }: { batch: BatchView }) {
  const t = useTranslations("batches.results");
  let text: string;
  if (batch.live && !batch.terminal) text = t("waiting");
  else if (batch.live) text = t("storing");
  else if (batch.status === "FAILED") text = t("failedBatch");
  else text = t("noneReturned");
  return <p className="px-5 py-10 text-center text-sm text-slate-500">{text}</p>;
}

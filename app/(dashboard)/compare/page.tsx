// /compare?a=&b=&filter=&q=&after=: two batches of the current team, row by row by custom_id. The
// whole view lives in the URL, so a link shows a teammate the same rows. Both batch ids are
// checked against the team (another team's batch is "not found"); the rows are one keyset page. A
// NUL in a parameter, or an ?after= that is not ours, shows what is wrong with the address.
import type { Metadata } from "next";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { db } from "@/lib/db/client";
import { comparableBatches, compareBatches, comparedBatch } from "@/lib/compare/compare";
import { compareRows, decodeCursor } from "@/lib/compare/rows";
import { COMPARE_FILTERS, type ComparedBatch, type Comparison } from "@/lib/compare/types";
import { assertCleanParams, readParams } from "@/lib/http/params";
import { BadAddress } from "@/components/ui/bad-address";
import { buttonClass } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { StatusBadge } from "@/components/ui/status-badge";
import { compareQuery, filterLabels, parseCompareParams, type CompareParams } from "@/lib/compare/params";
import { ComparePicker, type PickerBatch } from "@/components/compare/compare-picker";
import { CompareTable } from "@/components/compare/compare-table";
import { SummaryCards } from "@/components/compare/summary-cards";

export const metadata: Metadata = { title: "Compare batches" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const n = (v: number) => v.toLocaleString("en-US");
const when = (isoDate: string) => isoDate.slice(0, 16).replace("T", " ");

function label(b: ComparedBatch) {
  const models = b.inputFile.models.length ? ` · ${b.inputFile.models.join(", ")}` : "";
  return `${b.name} · ${b.connection.name}${models} · ${when(b.createdAt)} · ${n(b.resultCount)} results`;
}

export default async function ComparePage({ searchParams }: Props) {
  const { team } = await requireTeamPage();
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    const p = parseCompareParams(sp);
    decodeCursor(p.after);
    return p;
  });
  if (!read.ok) return <BadAddress title="Compare batches" message={read.error.message} href="/compare" label="the comparison picker" />;
  const p = read.value;
  const prisma = await db();
  const list = await comparableBatches(prisma, team.id);
  // A batch named in the URL but not in the list (still running, or older) is still offered.
  for (const id of [p.a, p.b]) {
    if (id && !list.some((x) => x.id === id)) {
      const extra = await comparedBatch(prisma, team.id, id);
      if (extra) list.unshift(extra);
    }
  }
  const picker: PickerBatch[] = list.map((b) => ({ id: b.id, label: label(b), inputFileId: b.inputFile.id }));
  const missing = [p.a && !list.some((x) => x.id === p.a) ? "A" : null, p.b && !list.some((x) => x.id === p.b) ? "B" : null].filter(Boolean);
  const cmp = p.a && p.b && missing.length === 0 ? await compareBatches(prisma, team.id, p.a, p.b) : null;

  return (
    <>
      <PageHeader
        title="Compare batches"
        description="Two batches run on the same questions (two models, two providers), answer by answer, aligned by custom_id."
      />
      <Card className="mb-6 px-5 py-4">
        <ComparePicker batches={picker} a={p.a} b={p.b} />
      </Card>

      {missing.length > 0 && (
        <p role="alert" className="mb-6 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200">
          Batch {missing.join(" and ")} of this link was not found in {team.personal ? "your team" : team.name}. It may belong to another team: switch
          team, or choose another batch.
        </p>
      )}

      {list.length < 2 && !cmp ? (
        <EmptyState
          title="Two finished batches are needed"
          action={
            <Link href="/batches/new" className={buttonClass()}>
              New batch
            </Link>
          }
        >
          Run the same file twice, on two models or two providers, then compare the answers here.
        </EmptyState>
      ) : !cmp ? (
        missing.length === 0 && (
          <EmptyState title={p.a ? "Now choose batch B" : "Choose the two batches to compare"}>
            Batches of the same input file are listed first once A is chosen. Rows are matched by custom_id.
          </EmptyState>
        )
      ) : (
        <ComparisonView cmp={cmp} p={p} />
      )}
    </>
  );
}

async function ComparisonView({ cmp, p }: { cmp: Comparison; p: CompareParams }) {
  const prisma = await db();
  const page = await compareRows(prisma, cmp, { filter: p.filter, q: p.q, after: p.after || null });
  const s = cmp.summary;
  const href = (over: Partial<CompareParams>) => `/compare${compareQuery({ ...p, after: "", ...over })}`;
  const exportHref = `/api/compare/export.csv${compareQuery({ a: p.a, b: p.b, filter: p.filter, q: p.q })}`;
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <SideCard tag="A" b={cmp.a} />
        <SideCard tag="B" b={cmp.b} />
      </div>

      <Notes cmp={cmp} />

      <SummaryCards s={s} filterHref={(f) => href({ filter: f as CompareParams["filter"] })} />

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
          <nav aria-label="Which rows" className="flex flex-wrap gap-1">
            {COMPARE_FILTERS.map((f) => {
              const count = s.counts[f];
              if (count === 0 && f !== "all" && f !== p.filter) return null;
              const active = p.filter === f;
              return (
                <Link
                  key={f}
                  href={href({ filter: f })}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "rounded-md px-2.5 py-1.5 text-sm font-medium",
                    active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
                  )}
                >
                  {filterLabels[f]} <span className={cn("tabular-nums", active ? "text-slate-300" : "text-slate-400")}>{n(count)}</span>
                </Link>
              );
            })}
          </nav>
          <div className="flex items-center gap-2">
            <form action="/compare" className="flex items-center gap-2" role="search">
              <input type="hidden" name="a" value={p.a} />
              <input type="hidden" name="b" value={p.b} />
              {p.filter !== "all" && <input type="hidden" name="filter" value={p.filter} />}
              <label htmlFor="compare-q" className="sr-only">
                Search custom_id, prompt and answers
              </label>
              <input
                id="compare-q"
                name="q"
                type="search"
                defaultValue={p.q}
                placeholder="Search id, prompt, answers"
                className="w-56 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500"
              />
            </form>
            <a href={exportHref} className={buttonClass("secondary", "sm")} download>
              Export CSV
            </a>
          </div>
        </div>
        {p.q && (
          <p className="border-b border-slate-100 px-4 py-2 text-sm text-slate-600">
            Rows matching “{p.q}”{" "}
            <Link href={href({ q: "" })} className="font-medium text-brand-700 hover:underline">
              Clear search
            </Link>
          </p>
        )}
        {page.rows.length === 0 ? (
          <p className="px-4 py-10 text-center text-sm text-slate-500">No rows {p.q ? "match this search" : "of this kind"}.</p>
        ) : (
          <CompareTable rows={page.rows} aName={cmp.a.name} bName={cmp.b.name} />
        )}
        <div className="flex items-center justify-between gap-4 border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
          <span>
            {p.q
              ? `${n(page.rows.length)} rows shown`
              : `${n(s.counts[p.filter])} ${p.filter === "all" ? "custom_ids" : `rows: ${filterLabels[p.filter].toLowerCase()}`}`}
            {p.after ? " · a later page" : ""}
          </span>
          <div className="flex items-center gap-3">
            {p.after && (
              <Link href={href({})} className={buttonClass("secondary", "sm")}>
                ← First rows
              </Link>
            )}
            {page.next && (
              <Link href={href({ after: page.next })} className={buttonClass("secondary", "sm")}>
                Next {n(page.rows.length)} rows →
              </Link>
            )}
          </div>
        </div>
      </Card>
    </div>
  );
}

function SideCard({ tag, b }: { tag: "A" | "B"; b: ComparedBatch }) {
  return (
    <Card className="flex items-start gap-3 px-5 py-4">
      <span className={cn("mt-0.5 grid h-6 w-6 shrink-0 place-items-center rounded text-xs font-bold text-white", tag === "A" ? "bg-slate-800" : "bg-brand-600")}>
        {tag}
      </span>
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/batches/${b.id}`} className="truncate font-semibold text-slate-900 hover:underline">
            {b.name}
          </Link>
          <StatusBadge status={b.status} />
        </div>
        <p className="mt-0.5 text-sm text-slate-500">
          {b.connection.providerLabel.startsWith(b.connection.name) ? b.connection.providerLabel : `${b.connection.name} (${b.connection.providerLabel})`}
          {b.inputFile.models.length > 0 && <> · {b.inputFile.models.join(", ")}</>}
        </p>
        <p className="mt-0.5 text-xs text-slate-500">
          {b.inputFile.name} · {n(b.resultCount)} results · window {b.completionWindow}
        </p>
      </div>
    </Card>
  );
}

function Notes({ cmp }: { cmp: Comparison }) {
  const s = cmp.summary;
  const notes: React.ReactNode[] = [];
  if (cmp.a.id === cmp.b.id) notes.push("A and B are the same batch: every answer is compared with itself.");
  if (!cmp.sameInput) {
    notes.push(
      <>
        A and B ran different input files (<strong>{cmp.a.inputFile.name}</strong> and <strong>{cmp.b.inputFile.name}</strong>). They are compared by
        custom_id anyway: <strong>{n(s.shared)}</strong> custom_id{s.shared === 1 ? " is" : "s are"} in both, {n(s.onlyA)} only in A, {n(s.onlyB)}{" "}
        only in B. Where B&apos;s prompt differs from A&apos;s it is shown under it.
      </>,
    );
  }
  if (cmp.a.endpoint !== cmp.b.endpoint) notes.push(`A ran ${cmp.a.endpoint} and B ${cmp.b.endpoint}.`);
  for (const [tag, b] of [["A", cmp.a], ["B", cmp.b]] as const) {
    if (!b.terminal || !b.resultsIngestedAt) notes.push(`Batch ${tag} has not finished: its rows may still change.`);
  }
  if (notes.length === 0) return null;
  return (
    <div role="status" className="space-y-1 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
      {notes.map((x, i) => (
        <p key={i}>{x}</p>
      ))}
    </div>
  );
}

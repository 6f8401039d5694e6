// /compare?a=&b=&filter=&q=&after=: two batches of the current team, row by row by custom_id. The
// whole view lives in the URL, so a link shows a teammate the same rows. Both batch ids are
// checked against the team (another team's batch is "not found"); the rows are one keyset page. A
// NUL in a parameter, or an ?after= that is not ours, shows what is wrong with the address.
import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { useFormatter, useTranslations } from "next-intl";
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
import { compareQuery, parseCompareParams, type CompareParams } from "@/lib/compare/params";
import { ComparePicker, type PickerBatch } from "@/components/compare/compare-picker";
import { CompareTable } from "@/components/compare/compare-table";
import { SummaryCards } from "@/components/compare/summary-cards";
import { useProviderLabel } from "@/components/ui/provider-label";
import { connectionLabel } from "@/lib/providers/profile";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("compare");
  return { title: t("title") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ComparePage({ searchParams }: Props) {
  const { team } = await requireTeamPage();
  const sp = await searchParams;
  const [t, format] = await Promise.all([getTranslations("compare"), getFormatter()]);
  // In the reader's time zone, as every other page shows a time (next-intl's, from their browser).
  const when = (iso: string) => format.dateTime(new Date(iso), { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  const label = (b: ComparedBatch) => {
    const models = b.inputFile.models.length ? ` · ${b.inputFile.models.join(", ")}` : "";
    return `${b.name} · ${b.connection.name}${models} · ${when(b.createdAt)} · ${t("resultCount", { count: b.resultCount })}`;
  };
  const read = readParams(() => {
    assertCleanParams(sp);
    const p = parseCompareParams(sp);
    decodeCursor(p.after);
    return p;
  });
  if (!read.ok) return <BadAddress title={t("title")} message={read.error.message} href="/compare" label={t("badAddressLabel")} />;
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
        title={t("title")}
        description={t("description")}
      />
      <Card className="mb-6 px-5 py-4">
        <ComparePicker batches={picker} a={p.a} b={p.b} />
      </Card>

      {missing.length > 0 && (
        <p role="alert" className="mb-6 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200">
          {t("missing", { which: missing.join(" & "), count: missing.length, personal: String(team.personal), team: team.name })}
        </p>
      )}

      {list.length < 2 && !cmp ? (
        <EmptyState
          title={t("needTwo")}
          action={
            <Link href="/batches/new" className={buttonClass()}>
              {t("newBatch")}
            </Link>
          }
        >
          {t("needTwoNote")}
        </EmptyState>
      ) : !cmp ? (
        missing.length === 0 && (
          <EmptyState title={p.a ? t("chooseB") : t("chooseBoth")}>
            {t("chooseNote")}
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
  const [t, format] = await Promise.all([getTranslations("compare"), getFormatter()]);
  const n = (v: number) => format.number(v);
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
          <nav aria-label={t("whichRows")} className="flex flex-wrap gap-1">
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
                  {t(`filters.${f}`)} <span className={cn("tabular-nums", active ? "text-slate-300" : "text-slate-400")}>{n(count)}</span>
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
                {t("searchLabel")}
              </label>
              <input
                id="compare-q"
                name="q"
                type="search"
                defaultValue={p.q}
                placeholder={t("searchPlaceholder")}
                className="w-56 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-brand-500"
              />
            </form>
            <a href={exportHref} className={buttonClass("secondary", "sm")} download>
              {t("export")}
            </a>
          </div>
        </div>
        {p.q && (
          <p className="border-b border-slate-100 px-4 py-2 text-sm text-slate-600">
            {t("matching", { q: p.q })}{" "}
            <Link href={href({ q: "" })} className="font-medium text-brand-700 hover:underline">
              {t("clearSearch")}
            </Link>
          </p>
        )}
        {page.rows.length === 0 ? (
          <p className="px-4 py-10 text-center text-sm text-slate-500">{p.q ? t("noRowsSearch") : t("noRows")}</p>
        ) : (
          <CompareTable rows={page.rows} aName={cmp.a.name} bName={cmp.b.name} />
        )}
        <div className="flex items-center justify-between gap-4 border-t border-slate-100 px-4 py-3 text-sm text-slate-500">
          <span>
            {p.q
              ? t("rowsShown", { count: page.rows.length })
              : p.filter === "all"
                ? t("customIds", { count: s.counts.all })
                : t("rowsOfKind", { count: s.counts[p.filter], kind: t(`filters.${p.filter}`) })}
            {p.after ? ` · ${t("laterPage")}` : ""}
          </span>
          <div className="flex items-center gap-3">
            {p.after && (
              <Link href={href({})} className={buttonClass("secondary", "sm")}>
                {t("firstRows")}
              </Link>
            )}
            {page.next && (
              <Link href={href({ after: page.next })} className={buttonClass("secondary", "sm")}>
                {t("nextRows", { count: page.rows.length })}
              </Link>
            )}
          </div>
        </div>
      </Card>
    </div>
  );
}

function SideCard({ tag, b }: { tag: "A" | "B"; b: ComparedBatch }) {
  const t = useTranslations("compare");
  const providerName = useProviderLabel();
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
          {providerName(connectionLabel(b.connection.name, b.connection.providerLabel))}
          {b.inputFile.models.length > 0 && <> · {b.inputFile.models.join(", ")}</>}
        </p>
        <p className="mt-0.5 text-xs text-slate-500">
          {b.inputFile.name} · {t("resultCount", { count: b.resultCount })} · {t("window", { window: b.completionWindow })}
        </p>
      </div>
    </Card>
  );
}

function Notes({ cmp }: { cmp: Comparison }) {
  const t = useTranslations("compare.notes");
  const format = useFormatter();
  const s = cmp.summary;
  const notes: React.ReactNode[] = [];
  if (cmp.a.id === cmp.b.id) notes.push(t("same"));
  if (!cmp.sameInput) {
    notes.push(
      t.rich("differentInputs", {
        fileA: cmp.a.inputFile.name,
        fileB: cmp.b.inputFile.name,
        shared: s.shared,
        sharedText: format.number(s.shared),
        onlyA: s.onlyA,
        onlyB: s.onlyB,
        strong: (chunks) => <strong>{chunks}</strong>,
      }),
    );
  }
  if (cmp.a.endpoint !== cmp.b.endpoint) notes.push(t("endpoints", { a: cmp.a.endpoint, b: cmp.b.endpoint }));
  for (const [tag, b] of [["A", cmp.a], ["B", cmp.b]] as const) {
    if (!b.terminal || !b.resultsIngestedAt) notes.push(t("unfinished", { tag }));
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

// /providers/:id/import: the batches already on a connected provider account (every page), with the
// list filters its profile takes, to bring chosen ones into the team's history. The filters are a
// GET form, so the listing runs on the server and a filtered view is a link. A provider that keeps no
// input file (Anthropic) gives its batches without prompts: the page says so.
// A NUL in a filter shows what is wrong with the address; an id holding one is no connection.
// The connection is found (or not: 404) before anything streams; only the slow listing waits in a
// Suspense boundary, so an unknown id still answers 404 (no loading.tsx above this page).
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireTeamPage, type TeamContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { listProviderBatches, type ProviderBatchList } from "@/lib/batches/history/import";
import { filterSpecs, userFilters, type FilterValues } from "@/lib/batches/history/import-filters";
import { profiles } from "@/lib/providers/profiles";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader, Skeleton } from "@/components/ui/card";
import { Field, FormMessage, Input } from "@/components/ui/field";
import { ImportTable } from "./import-table";
import { nulParam } from "@/lib/http/params";
import { BadAddress } from "@/components/ui/bad-address";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("providers.import");
  return { title: t("metaTitle") };
}

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ImportPage({ params, searchParams }: Props) {
  const ctx = await requireTeamPage();
  const { id } = await params;
  const sp = await searchParams;
  if (nulParam({ id })) notFound();
  const t = await getTranslations("providers");
  const bad = nulParam(sp);
  if (bad) return <BadAddress title={t("import.metaTitle")} message={bad.message} href="/providers" label={t("import.badAddressLabel")} />;
  const prisma = await db();
  const connection = await prisma.providerConnection.findFirst({ where: { id, teamId: ctx.team.id }, select: { id: true, name: true, kind: true } });
  if (!connection) notFound();
  return (
    <>
      <Link href="/providers" className="text-sm font-medium text-slate-500 hover:text-slate-800">
        {t("back")}
      </Link>
      <div className="mt-2">
        <PageHeader title={t("import.title", { name: connection.name })} description={t("import.description")} />
      </div>
      <Suspense fallback={<ListingSkeleton />}>
        <Listing ctx={ctx} connection={connection} sp={sp} />
      </Suspense>
    </>
  );
}

/** Listing walks every page of the provider's history: the skeleton shows while it does. */
async function ListingSkeleton() {
  const t = await getTranslations("providers.import");
  return (
    <div aria-busy="true" aria-label={t("loadingLabel")}>
      <p className="mb-3 text-sm text-slate-500">{t("loading")}</p>
      <div className="space-y-px overflow-hidden rounded-lg ring-1 ring-slate-200">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-12 w-full rounded-none" />
        ))}
      </div>
    </div>
  );
}

async function Listing({
  ctx,
  connection,
  sp,
}: {
  ctx: TeamContext;
  connection: { id: string; name: string; kind: string };
  sp: Record<string, string | string[] | undefined>;
}) {
  const t = await getTranslations("providers");
  const prisma = await db();
  const profile = profiles[connection.kind];
  const specs = profile ? userFilters(profile) : [];
  // Batches with no input file to bring along (Anthropic's): the page says so before anything is imported.
  const noInput = profile?.capabilities.inputNotKept;

  // Any known filter in the address is passed on, so one the provider does not take is refused by name.
  const filters: FilterValues = {};
  for (const key of Object.keys(filterSpecs)) {
    const v = sp[key];
    if (typeof v === "string" && v.trim()) filters[key] = v;
  }
  const filtered = Object.keys(filters).length > 0;

  let list: ProviderBatchList | null = null;
  let error: string | null = null;
  let fieldErrors: Record<string, string> = {};
  if (can.run(ctx.role)) {
    try {
      list = await listProviderBatches(prisma, ctx, connection.id, filters);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      error = err.message;
      fieldErrors = err.fieldErrors ?? {};
    }
  }

  // A filter's words in the user's language (import-filters.ts names them in English).
  const filterText = (key: string, part: "label" | "help" | "placeholder", english: string | undefined) => {
    const k = `import.filters.${key}.${part}` as "import.filters.status.label";
    return t.has(k) ? t(k) : english;
  };
  // A problem with a filter shows beside its field; only the rest shows above the table.
  const stray = Object.entries(fieldErrors).filter(([k]) => !specs.some((s) => s.key === k)).map(([, m]) => m);
  const message = Object.keys(fieldErrors).length ? stray.join(" ") : error;

  return (
    <>
      {!can.run(ctx.role) ? (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">{t("import.runnersOnly")}</p>
      ) : (
        <div className="space-y-4">
          {specs.length > 0 && (
            <Card className="px-5 py-4">
              <form method="get" className="flex flex-wrap items-start gap-4" noValidate>
                {specs.map((s) => (
                  <div key={s.key} className="w-56">
                    <Field label={filterText(s.key, "label", s.label)!} name={s.key} error={fieldErrors[s.key]} hint={filterText(s.key, "help", s.help)}>
                      <Input name={s.key} defaultValue={filters[s.key] ?? ""} placeholder={filterText(s.key, "placeholder", s.placeholder)} error={fieldErrors[s.key]} autoComplete="off" />
                    </Field>
                  </div>
                ))}
                <div className="flex items-center gap-2 pt-7">
                  <button type="submit" className={buttonClass("secondary")}>
                    {t("import.apply")}
                  </button>
                  {filtered && (
                    <Link href={`/providers/${connection.id}/import`} className={buttonClass("ghost")}>
                      {t("import.clear")}
                    </Link>
                  )}
                </div>
              </form>
            </Card>
          )}
          {noInput && (
            <p className="rounded-md bg-sky-50 px-4 py-3 text-sm text-sky-900 ring-1 ring-sky-100">
              <span className="font-semibold">{t("import.resultsOnly")}</span> {t("import.resultsOnlyNote", { provider: profile.label })}
            </p>
          )}
          {message && <FormMessage message={message} />}
          {list && (
            <ImportTable
              connectionId={connection.id}
              providerName={connection.name}
              list={list}
              filtered={filtered}
              commonNote={noInput}
            />
          )}
        </div>
      )}
    </>
  );
}

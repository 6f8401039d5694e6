// /batches/:id: one batch of the current team, live while it runs, then its results. The page
// checks the session and the team, reads the first view and results page, and hands them to the
// client component, which keeps them fresh through /api/batches/:id. A NUL in the view's parameters
// shows what is wrong with the address, and an id holding one is no batch (lib/http/params.ts).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cache, Suspense } from "react";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { getBatchView } from "@/lib/batches/read/view";
import { browseResults, viewCount } from "@/lib/results/browse";
import { BatchClient } from "@/components/batches/batch-client";
import { partOfJob } from "@/lib/batches/read/job-view";
import { PartOfJobNote } from "@/components/jobs/part-of-job";
import { parseResultParams, type ResultParams } from "@/lib/results/params";
import { assertCleanParams, nulParam, readParams } from "@/lib/http/params";
import { BadAddress } from "@/components/ui/bad-address";
import { PageSkeleton } from "../../page-skeleton";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// Metadata and the page read the same batch once per request.
const load = cache(async (id: string) => {
  const { team, role, user } = await requireTeamPage();
  const view = nulParam({ id }) ? null : await getBatchView(await db(), team.id, id);
  return { view, role, viewer: user.id };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { view } = await load((await params).id);
  return { title: view?.name ?? (await getTranslations("batches.batch"))("notFound") };
}

export default async function BatchPage({ params, searchParams }: Props) {
  const { id } = await params;
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    return parseResultParams(sp);
  });
  if (!read.ok) {
    const t = await getTranslations("batches.batch");
    return <BadAddress title={t("badAddressTitle")} message={read.error.message} href={`/batches/${encodeURIComponent(id)}`} label={t("badAddressLabel")} />;
  }
  // Whether the batch is the team's decides the status (404) before anything streams; the view and
  // its results page, the slow part on a large batch, wait in a Suspense boundary below.
  const { team } = await requireTeamPage();
  const exists = nulParam({ id }) ? null : await (await db()).batch.findFirst({ where: { id, teamId: team.id }, select: { id: true } });
  if (!exists) notFound();
  return (
    <Suspense fallback={<PageSkeleton />}>
      <BatchDetail id={id} resultParams={read.value} />
    </Suspense>
  );
}

async function BatchDetail({ id, resultParams }: { id: string; resultParams: ResultParams }) {
  const { view, role, viewer } = await load(id);
  if (!view) notFound();
  const results = view.resultCounts.all > 0 ? await browseResults(await db(), view.id, { ...resultParams, count: viewCount(resultParams) }) : null;
  // A part of a job says so, linking to the job (lib/batches/jobs.ts).
  const part = await partOfJob(await db(), (await requireTeamPage()).team.id, view.id);
  return (
    <div className="space-y-3">
      {part && <PartOfJobNote part={part} />}
      <BatchClient initial={view} initialResults={{ params: resultParams, data: results, viewer }} canRun={can.run(role)} />
    </div>
  );
}

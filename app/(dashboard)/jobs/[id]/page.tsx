// /jobs/:id: a file launched as several batches (parts), with their combined progress and results.
// The page checks the session and the team (another team's job is not found), reads the first view
// and hands it to the client component, which keeps it fresh through /api/jobs/:id. An id holding a
// NUL is no job (PostgreSQL would refuse it, lib/http/params.ts). The job is found (or not: 404)
// before anything streams; the view waits in a Suspense boundary (no loading.tsx above: 404 stays 404).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cache, Suspense } from "react";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { getJobView } from "@/lib/batches/read/job-view";
import { JobClient } from "@/components/jobs/job-client";
import { nulParam } from "@/lib/http/params";
import { PageSkeleton } from "../../page-skeleton";
import { requestLocale } from "@/lib/i18n/server-messages.request";

type Props = { params: Promise<{ id: string }> };

const load = cache(async (id: string) => {
  const { team, role } = await requireTeamPage();
  const view = nulParam({ id }) ? null : await getJobView(await db(), team.id, id, await requestLocale());
  return { view, role };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { view } = await load((await params).id);
  const t = await getTranslations("batches.job");
  return { title: view ? t("pageTitle", { name: view.name }) : t("notFound") };
}

export default async function JobPage({ params }: Props) {
  const { id } = await params;
  // Whether the job is the team's decides the status (404) before anything streams; its view (every
  // part's counts) waits in a Suspense boundary below.
  const { team } = await requireTeamPage();
  const exists = nulParam({ id }) ? null : await (await db()).job.findFirst({ where: { id, teamId: team.id }, select: { id: true } });
  if (!exists) notFound();
  return (
    <Suspense fallback={<PageSkeleton />}>
      <JobDetail id={id} />
    </Suspense>
  );
}

async function JobDetail({ id }: { id: string }) {
  const { view, role } = await load(id);
  if (!view) notFound();
  return <JobClient initial={view} canRun={can.run(role)} />;
}

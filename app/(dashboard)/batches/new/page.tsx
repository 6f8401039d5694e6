// /batches/new?file=<id>: launch one of the team's validated files on one of its connections. A NUL
// in the address shows what is wrong with it.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { launchOptions } from "@/lib/batches/read/launch-options";
import { buttonClass } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { LaunchForm } from "@/components/batches/launch-form";
import { nulParam } from "@/lib/http/params";
import { BadAddress } from "@/components/ui/bad-address";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("launch.page"))("title") };
}

export default async function NewBatchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role } = await requireTeamPage();
  const t = await getTranslations("launch.page");
  const sp = await searchParams;
  const bad = nulParam(sp);
  if (bad) return <BadAddress title={t("title")} message={bad.message} href="/batches/new" label={t("badAddressLabel")} />;
  const wanted = typeof sp.file === "string" ? sp.file : undefined;
  const options = await launchOptions(await db(), team.id);
  const header = <PageHeader title={t("title")} description={t("description")} />;

  if (!can.run(role)) {
    return (
      <>
        {header}
        <EmptyState
          title={t("viewerTitle")}
          action={
            <Link href="/batches" className={buttonClass("secondary")}>
              {t("backToBatches")}
            </Link>
          }
        >
          {t("viewerBody", { team: team.name })}
        </EmptyState>
      </>
    );
  }
  if (options.files.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          title={t("noFileTitle")}
          action={
            <Link href="/files" className={buttonClass()}>
              {t("uploadFile")}
            </Link>
          }
        >
          {t("noFileBody")}
        </EmptyState>
      </>
    );
  }
  if (options.connections.length === 0) {
    return (
      <>
        {header}
        <EmptyState
          title={t("noConnectionTitle")}
          action={
            <Link href="/providers" className={buttonClass()}>
              {t("addConnection")}
            </Link>
          }
        >
          {t("noConnectionBody")}
        </EmptyState>
      </>
    );
  }
  // A ?file= of another team, or one that is not valid, is simply not preselected.
  const fileId = options.files.some((f) => f.id === wanted) ? wanted! : options.files[0].id;
  return (
    <>
      {header}
      <LaunchForm options={options} initialFileId={fileId} />
    </>
  );
}

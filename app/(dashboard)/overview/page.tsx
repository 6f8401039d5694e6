// /overview, the first page after sign-in: the team's active batches with their ETA, spend and
// tokens over a period (?period=7d|30d|…, ?by=provider|connection|model|member), success rate and
// error codes, what finished since the member's last visit, and the month's budgets
// (lib/overview/overview.ts). Opening it marks the visit.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { assertCleanParams, paramValue, readParams } from "@/lib/http/params";
import { overview } from "@/lib/overview/overview";
import { parseDimension, parsePeriod } from "@/lib/overview/period";
import { PageHeader } from "@/components/ui/card";
import { BadAddress } from "@/components/ui/bad-address";
import { OverviewClient } from "@/components/overview/overview-client";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("overview");
  return { title: t("title") };
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireTeamPage();
  const t = await getTranslations("overview");
  const sp = await searchParams;
  const read = readParams(() => {
    assertCleanParams(sp);
    return { period: parsePeriod(paramValue(sp, "period")), by: parseDimension(paramValue(sp, "by")) };
  });
  if (!read.ok) return <BadAddress title={t("title")} message={read.error.message} href="/overview" label={t("badAddressLabel")} />;
  const data = await overview(await db(), { teamId: ctx.team.id, userId: ctx.user.id }, read.value.period, read.value.by);
  return (
    <>
      <PageHeader title={t("title")} description={ctx.team.personal ? t("descriptionPersonal") : t("description", { team: ctx.team.name })} />
      <OverviewClient initial={data} canManage={can.manage(ctx.role)} />
    </>
  );
}

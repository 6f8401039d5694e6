// /prices: the price table the cost estimates and batch summaries use: the built-in batch prices
// and the team's own rows over them. Everyone in the team reads it; owners and admins change it.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { priceTable } from "@/lib/pricing/prices";
import { NO_BUILTIN_NOTE, WINDOW_RULES } from "@/lib/pricing/builtin";
import { profiles } from "@/lib/providers/profiles";
import { localizeMessage } from "@/lib/i18n/user-message";
import { PageHeader } from "@/components/ui/card";
import { PricesClient, type KindInfo } from "./prices-client";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("prices");
  return { title: t("title") };
}

export default async function PricesPage() {
  const ctx = await requireTeamPage();
  const manager = can.manage(ctx.role);
  const t = await getTranslations("prices");
  // The built-in table's words (where a figure comes from, its notes) are English in lib/pricing;
  // prices.builtin in the message files holds them in each language.
  const l = localizeMessage;
  const rows = await Promise.all(
    (await priceTable(await db(), ctx.team.id)).map(async (r) => ({
      ...r,
      note: await l(r.note),
      source: r.source && { ...r.source, label: await l(r.source.label), basis: await l(r.source.basis), confirmed: await l(r.source.confirmed) },
    })),
  );
  const kinds: KindInfo[] = await Promise.all(
    Object.values(profiles).map(async (p) => ({
      kind: p.kind,
      label: await l(p.label),
      windows: p.completionWindows,
      note: await l(NO_BUILTIN_NOTE[p.kind]),
      rules: await Promise.all(WINDOW_RULES.filter((r) => r.providerKind === p.kind).map((r) => l(r.why))),
    })),
  );
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
      />
      <div className="mb-5 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
        <p className="font-medium">{t("check.title")}</p>
        <p className="mt-0.5">{t("check.body", { manager: String(manager) })}</p>
      </div>
      {!manager && (
        <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          {t("readOnly")}
        </p>
      )}
      <PricesClient rows={rows} kinds={kinds} manager={manager} />
    </>
  );
}

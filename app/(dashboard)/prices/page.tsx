// /prices: the price table the cost estimates and batch summaries use: the built-in batch prices
// and the team's own rows over them. Everyone in the team reads it; owners and admins change it.
import type { Metadata } from "next";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { priceTable } from "@/lib/pricing/prices";
import { NO_BUILTIN_NOTE, WINDOW_RULES } from "@/lib/pricing/builtin";
import { profiles } from "@/lib/providers/profiles";
import { PageHeader } from "@/components/ui/card";
import { PricesClient, type KindInfo } from "./prices-client";

export const metadata: Metadata = { title: "Prices" };

export default async function PricesPage() {
  const ctx = await requireTeamPage();
  const manager = can.manage(ctx.role);
  const rows = await priceTable(await db(), ctx.team.id);
  const kinds: KindInfo[] = Object.values(profiles).map((p) => ({
    kind: p.kind,
    label: p.label,
    windows: p.completionWindows,
    note: NO_BUILTIN_NOTE[p.kind],
    rules: WINDOW_RULES.filter((r) => r.providerKind === p.kind).map((r) => r.why),
  }));
  return (
    <>
      <PageHeader
        title="Prices"
        description="Batch prices per million tokens, by provider, model and completion window: the cost estimates before launch and the actual cost of each batch use them."
      />
      <div className="mb-5 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200">
        <p className="font-medium">Check the built-in prices before relying on them.</p>
        <p className="mt-0.5">
          They are the providers&apos; public list prices on the date shown beside each provider, made into batch prices as noted (most providers bill
          batches at 50% of the real-time price). Providers change prices, and your contract may differ: {manager ? "add" : "an owner or admin can add"}{" "}
          your team&apos;s own price for a model, and it replaces the built-in one everywhere.
        </p>
      </div>
      {!manager && (
        <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          You can read this table. Only the team&apos;s owners and admins can add or change prices.
        </p>
      )}
      <PricesClient rows={rows} kinds={kinds} manager={manager} />
    </>
  );
}

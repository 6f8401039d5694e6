import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { addableKinds, listConnections } from "@/lib/providers/connections";
import { effectiveProfile, hasEditableLimits, limitRows, limitsFormValues } from "@/lib/providers/connections.limits";
import { profiles } from "@/lib/providers/profiles";
import { hasQueueLimits, queueLimitsFormValues } from "@/lib/providers/queue-limits";
import { PageHeader } from "@/components/ui/card";
import { localizeMessage } from "@/lib/i18n/user-message";
import { AddConnection } from "../add-connection";
import { ConnectionCard, type ConnectionItem } from "../connection-card";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("providers");
  return { title: t("title") };
}

export default async function ProvidersPage() {
  const ctx = await requireTeamPage();
  const manager = can.manage(ctx.role);
  const t = await getTranslations("providers");
  const connections = await listConnections(await db(), ctx);
  // Only what the page shows crosses to the browser (never the row itself).
  const items: ConnectionItem[] = await Promise.all(connections.map(async (c) => ({
    id: c.id,
    name: c.name,
    kindLabel: await localizeMessage(c.kindLabel),
    builtIn: c.builtIn,
    imitation: c.imitation,
    // "Built in", "Batchboard Sandbox, imitating …" or the URL; the last test's outcome: in the user's language where known.
    baseUrlLabel: await localizeMessage(c.baseUrlLabel),
    keyLast4: c.keyLast4,
    createdAt: c.createdAt.toISOString(),
    lastTestedAt: c.lastTestedAt?.toISOString() ?? null,
    lastTestOk: c.lastTestOk,
    lastTestMessage: c.lastTestMessage && (await localizeMessage(c.lastTestMessage)),
    limits: profiles[c.kind]
      ? {
          rows: limitRows(effectiveProfile(c.kind, c.limits), c.limits),
          custom: Boolean(c.limits),
          form: hasEditableLimits(c.kind) ? limitsFormValues(c.kind, c.limits) : null,
        }
      : null,
    queue: profiles[c.kind] && !c.builtIn && hasQueueLimits(c.kind) ? queueLimitsFormValues(c.kind, c.queueLimits) : null,
  })));

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={manager ? <AddConnection kinds={addableKinds()} /> : undefined}
      />
      {!manager && (
        <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          {t("managersOnly")}
        </p>
      )}
      <ul className="space-y-3">
        {items.map((c) => (
          <li key={c.id}>
            <ConnectionCard c={c} manager={manager} />
          </li>
        ))}
      </ul>
    </>
  );
}

// The team's webhooks (owners and admins): add one in a ready-made format, send a test event,
// enable or disable, delete, and the delivery log of each: every attempt with its status.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { EVENT_INFO, WEBHOOK_EVENT_TYPES, type EventType } from "@/lib/notify/events";
import { FORMAT_INFO, FORMATS, type Format } from "@/lib/notify/formats";
import { listWebhooks } from "@/lib/notify/webhooks";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { cn } from "@/components/ui/cn";
import { localizeMessage } from "@/lib/i18n/user-message";
import { AddWebhookForm } from "./add-webhook-form";
import { WebhookActions } from "./webhook-actions";
import { teamDisplayName } from "@/lib/teams/name.server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("team.webhooks");
  return { title: t("title") };
}

export default async function WebhooksPage() {
  const ctx = await requireTeamPage();
  const t = await getTranslations("team");
  const label = (type: string) => (type in EVENT_INFO ? t(`events.${type as EventType}.label`) : type === "webhook.test" ? t("webhooks.testEvent") : type);
  const back = (chunks: React.ReactNode) => (
    <Link href="/team" className="font-medium text-brand-700 hover:underline">
      {chunks}
    </Link>
  );
  if (!can.manage(ctx.role)) {
    return (
      <>
        <PageHeader title={t("webhooks.title")} description={t.rich("webhooks.back", { link: back })} />
        <EmptyState title={t("webhooks.managersOnly")}>{t("webhooks.managersOnlyNote")}</EmptyState>
      </>
    );
  }
  const hooks = await listWebhooks(await db(), ctx.team.id);
  // Why a webhook is off (an admin, or a day of failures), in the user's language.
  const reasons = new Map(await Promise.all(hooks.map(async (w) => [w.id, await localizeMessage(w.disabledReason ?? undefined)] as const)));
  return (
    <>
      <PageHeader
        title={t("webhooks.title")}
        description={t.rich("webhooks.description", { team: await teamDisplayName(ctx.team), link: back })}
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title={t("webhooks.add")} />
          <div className="px-5 py-5">
            <AddWebhookForm
              formats={FORMATS.map((f) => ({ value: f, ...FORMAT_INFO[f], label: t(`webhooks.formats.${f}.label`), hint: t(`webhooks.formats.${f}.hint`) }))}
              events={WEBHOOK_EVENT_TYPES.map((e) => ({ value: e, label: label(e) }))}
            />
          </div>
        </Card>
        {hooks.length === 0 && <EmptyState title={t("webhooks.none")}>{t("webhooks.noneNote")}</EmptyState>}
        {hooks.map((w) => (
          <Card key={w.id} data-testid="webhook">
            <CardHeader
              title={
                <span className="flex flex-wrap items-center gap-2">
                  {w.name}
                  <span className={cn("rounded-full px-2 py-0.5 text-xs font-medium", w.enabled ? "bg-emerald-50 text-emerald-700" : "bg-slate-100 text-slate-600")}>{w.enabled ? t("webhooks.enabled") : t("webhooks.disabled")}</span>
                </span>
              }
              description={
                <>
                  {w.format in FORMAT_INFO ? t(`webhooks.formats.${w.format as Format}.label`) : w.format} · <span className="break-all font-mono text-xs">{w.urlHint}</span> · {w.events.map(label).join(", ")}
                </>
              }
            />
            <div className="border-b border-slate-100 px-5 py-3">
              <WebhookActions webhookId={w.id} enabled={w.enabled} />
            </div>
            {w.disabledReason && !w.enabled && <p className="border-b border-slate-100 bg-amber-50 px-5 py-2.5 text-sm text-amber-900">{reasons.get(w.id)}</p>}
            {w.deliveries.length === 0 ? (
              <p className="px-5 py-4 text-sm text-slate-500">{t("webhooks.noDeliveries")}</p>
            ) : (
              <div className="relative overflow-x-auto">
                <table className="min-w-full text-sm" aria-label={t("webhooks.deliveriesOf", { name: w.name })}>
                  <thead>
                    <tr className="border-b border-slate-100 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                      <th className="px-5 py-2">{t("webhooks.event")}</th>
                      <th className="px-5 py-2">{t("webhooks.status")}</th>
                      <th className="px-5 py-2">{t("webhooks.attempts")}</th>
                      <th className="px-5 py-2">{t("webhooks.created")}</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {w.deliveries.map((d) => (
                      <tr key={d.id} data-testid="delivery" className="align-top">
                        <td className="px-5 py-2.5">
                          <span className="block text-slate-900">{label(d.event.type)}</span>
                          <span className="block max-w-xs truncate text-xs text-slate-500" title={d.event.title}>
                            {d.event.title}
                          </span>
                        </td>
                        <td className="px-5 py-2.5">
                          <span className={cn("font-medium", d.status === "delivered" ? "text-emerald-700" : d.status === "failed" ? "text-red-700" : "text-amber-700")}>
                            {d.status === "pending" ? (d.attempts ? t("webhooks.retrying") : t("webhooks.waiting")) : d.status === "delivered" ? t("webhooks.delivered") : t("webhooks.gaveUp")}
                          </span>
                          {d.status === "pending" && d.nextAttemptAt && (
                            <span className="block text-xs text-slate-500">
                              {t.rich("webhooks.next", { time: () => <RelativeTime iso={d.nextAttemptAt!.toISOString()} /> })}
                            </span>
                          )}
                        </td>
                        <td className="px-5 py-2.5">
                          <ol className="space-y-0.5 text-xs">
                            {d.log.map((a) => (
                              <li key={String(a.id)} className={a.ok ? "text-emerald-700" : "text-red-700"}>
                                <RelativeTime iso={a.at.toISOString()} className="text-slate-500" /> · {a.ok ? t("webhooks.ok") : t("webhooks.failed")}
                                {a.statusCode ? ` · HTTP ${a.statusCode}` : ""} · {a.durationMs} ms{a.error ? <span className="block break-words text-slate-600">{a.error}</span> : null}
                              </li>
                            ))}
                          </ol>
                        </td>
                        <td className="px-5 py-2.5 text-xs text-slate-500">
                          <RelativeTime iso={d.createdAt.toISOString()} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        ))}
      </div>
    </>
  );
}

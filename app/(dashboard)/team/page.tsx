import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { requireTeamPage } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { listMembers } from "@/lib/teams/members";
import { listPendingInvites } from "@/lib/teams/invites";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { InviteForm } from "./invite-form";
import { MemberRemove, MemberRole } from "./member-actions";
import { RevokeInviteButton } from "./revoke-invite-button";
import { CreateTeamForm } from "./create-team-form";
import { ConnectionBudgetForm, TeamBudgetForm } from "./budget-form";
import { formatMoney } from "@/lib/pricing/cost";
import { teamDisplayName } from "@/lib/teams/name.server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("team");
  return { title: t("metaTitle") };
}

export default async function TeamPage() {
  const ctx = await requireTeamPage();
  const [t, format, locale] = await Promise.all([getTranslations("team"), getFormatter(), getLocale()]);
  const date = (d: Date) => format.dateTime(d, { dateStyle: "medium" });
  const prisma = await db();
  const [members, invites, budget, connections] = await Promise.all([
    listMembers(prisma, ctx),
    listPendingInvites(prisma, ctx),
    prisma.team.findUniqueOrThrow({ where: { id: ctx.team.id }, select: { monthlyBudget: true, budgetCurrency: true, budgetEnforce: true } }),
    prisma.providerConnection.findMany({ where: { teamId: ctx.team.id }, select: { id: true, name: true, monthlyBudget: true }, orderBy: { name: "asc" } }),
  ]);
  const manager = can.manage(ctx.role);
  const owners = members.filter((m) => m.role === "OWNER").length;

  return (
    <>
      <PageHeader
        title={await teamDisplayName(ctx.team)}
        description={
          <>
            {/* A sentence ending in a Chinese full stop needs no space after it. */}
            {ctx.team.personal && t("personal").replace(/(?<![。！？])$/, " ")}
            {t.rich(manager ? "youAreManager" : "youAre", {
              role: ctx.role,
              b: (chunks) => <span className="font-medium text-slate-700">{chunks}</span>,
            })}
          </>
        }
        actions={
          manager ? (
            <Link href="/team/webhooks" className={buttonClass("secondary")}>
              {t("webhooksLink")}
            </Link>
          ) : undefined
        }
      />

      <div className="space-y-6">
        <Card>
          <CardHeader title={t("members.title")} description={t("members.count", { count: members.length })} />
          <div className="relative overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead>
                <tr className="border-b border-slate-100 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                  <th className="px-5 py-2.5">{t("members.name")}</th>
                  <th className="px-5 py-2.5">{t("members.email")}</th>
                  <th className="px-5 py-2.5">{t("members.role")}</th>
                  <th className="px-5 py-2.5">{t("members.joined")}</th>
                  <th className="px-5 py-2.5">
                    <span className="sr-only">{t("members.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {members.map((m) => {
                  // What the viewer may do to this row (the actions check again on the server).
                  const touchesOwner = m.role === "OWNER";
                  const lastOwner = touchesOwner && owners <= 1;
                  const canEdit = manager && !m.isYou && (!touchesOwner || ctx.role === "OWNER");
                  const roleChoices = ctx.role === "OWNER" ? (["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const) : (["ADMIN", "MEMBER", "VIEWER"] as const);
                  return (
                    <tr key={m.id}>
                      <td className="px-5 py-3 font-medium text-slate-900">
                        {m.user.name}
                        {m.isYou && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-500">{t("members.you")}</span>}
                      </td>
                      <td className="px-5 py-3 text-slate-600">{m.user.email}</td>
                      <td className="px-5 py-3">
                        <MemberRole key={`${m.id}:${m.role}`} membershipId={m.id} name={m.user.name} role={m.role} choices={canEdit ? [...roleChoices] : null} />
                      </td>
                      <td className="px-5 py-3 whitespace-nowrap text-slate-500">{date(m.joinedAt)}</td>
                      <td className="px-5 py-3 text-right">
                        {((canEdit && !lastOwner) || (m.isYou && !lastOwner)) && <MemberRemove membershipId={m.id} name={m.user.name} leave={m.isYou} />}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Card>

        {manager && (
          <Card>
            <CardHeader
              title={t("invite.title")}
              description={t("invite.description")}
            />
            <div className="px-5 py-4">
              <InviteForm />
            </div>
          </Card>
        )}

        <Card id="budget">
          <CardHeader
            title={t("budget.title")}
            description={t("budget.description")}
          />
          <div className="space-y-5 px-5 py-4">
            {manager ? (
              <>
                <TeamBudgetForm budget={budget.monthlyBudget} currency={budget.budgetCurrency} enforce={budget.budgetEnforce} />
                {connections.length > 0 && (
                  <div className="border-t border-slate-100 pt-4">
                    <h3 className="text-sm font-semibold text-slate-900">{t("budget.perConnection")}</h3>
                    <p className="text-xs text-slate-500">{t("budget.perConnectionNote")}</p>
                    <div className="mt-2 divide-y divide-slate-100">
                      {connections.map((c) => (
                        <ConnectionBudgetForm key={c.id} id={c.id} name={c.name} budget={c.monthlyBudget} currency={budget.budgetCurrency} />
                      ))}
                    </div>
                  </div>
                )}
              </>
            ) : (
              <p className="text-sm text-slate-600">
                {budget.monthlyBudget === null
                  ? t("budget.none")
                  : t("budget.readOnly", { amount: formatMoney(budget.monthlyBudget, budget.budgetCurrency, locale), enforce: String(budget.budgetEnforce) })}
              </p>
            )}
          </div>
        </Card>

        <Card>
          <CardHeader title={t("pending.title")} description={t("pending.description")} />
          {invites.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-500">{t("pending.none")}</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {invites.map((i) => (
                <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
                  <div>
                    <span className="font-medium text-slate-900">{t(`roles.${i.role}`)}</span>
                    <span className="text-slate-500">
                      {" "}
                      · {t("pending.line", { by: i.createdBy, made: date(i.createdAt), expires: date(i.expiresAt) })}
                    </span>
                  </div>
                  {manager && <RevokeInviteButton inviteId={i.id} />}
                </li>
              ))}
            </ul>
          )}
        </Card>

        <Card>
          <CardHeader
            title={t("create.title")}
            description={t("create.description")}
          />
          <div className="px-5 py-4">
            <CreateTeamForm />
          </div>
        </Card>
      </div>
    </>
  );
}

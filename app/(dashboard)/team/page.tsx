import type { Metadata } from "next";
import { requireTeamPage } from "@/lib/auth/context";
import { can, roleLabel } from "@/lib/auth/roles";
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

export const metadata: Metadata = { title: "Team" };

const date = (d: Date) => d.toLocaleDateString("en", { dateStyle: "medium" });

export default async function TeamPage() {
  const ctx = await requireTeamPage();
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
        title={ctx.team.name}
        description={
          <>
            {ctx.team.personal ? "Your personal team. " : ""}You are{" "}
            <span className="font-medium text-slate-700">{roleLabel[ctx.role].toLowerCase()}</span> here
            {manager ? ": you can invite people and change roles." : "."}
          </>
        }
        actions={
          manager ? (
            <Link href="/team/webhooks" className={buttonClass("secondary")}>
              Webhooks
            </Link>
          ) : undefined
        }
      />

      <div className="space-y-6">
        <Card>
          <CardHeader title="Members" description={`${members.length} ${members.length === 1 ? "person" : "people"}`} />
          <div className="relative overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead>
                <tr className="border-b border-slate-100 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                  <th className="px-5 py-2.5">Name</th>
                  <th className="px-5 py-2.5">Email</th>
                  <th className="px-5 py-2.5">Role</th>
                  <th className="px-5 py-2.5">Joined</th>
                  <th className="px-5 py-2.5">
                    <span className="sr-only">Actions</span>
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
                        {m.isYou && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-500">you</span>}
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
              title="Invite a teammate"
              description="Make a link and send it to them yourself. It works once, for the role you choose, until it expires."
            />
            <div className="px-5 py-4">
              <InviteForm />
            </div>
          </Card>
        )}

        <Card id="budget">
          <CardHeader
            title="Monthly budget"
            description="What the team's batches launched in a calendar month (UTC) may cost at its prices. The overview and the launch form warn at 80% and 100%."
          />
          <div className="space-y-5 px-5 py-4">
            {manager ? (
              <>
                <TeamBudgetForm budget={budget.monthlyBudget} currency={budget.budgetCurrency} enforce={budget.budgetEnforce} />
                {connections.length > 0 && (
                  <div className="border-t border-slate-100 pt-4">
                    <h3 className="text-sm font-semibold text-slate-900">Per connection (optional)</h3>
                    <p className="text-xs text-slate-500">A budget of its own for one provider connection, on top of the team&apos;s.</p>
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
                  ? "No monthly budget is set. Owners and admins can set one."
                  : `${formatMoney(budget.monthlyBudget, budget.budgetCurrency)} a month${budget.budgetEnforce ? "; launches beyond it are refused" : ""}.`}
              </p>
            )}
          </div>
        </Card>

        <Card>
          <CardHeader title="Pending invites" description="Links made but not used yet." />
          {invites.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-500">No pending invites.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {invites.map((i) => (
                <li key={i.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
                  <div>
                    <span className="font-medium text-slate-900">{roleLabel[i.role]}</span>
                    <span className="text-slate-500">
                      {" "}
                      · made by {i.createdBy} on {date(i.createdAt)} · expires {date(i.expiresAt)}
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
            title="Create another team"
            description="A shared space for a group: its own providers, files, batches and people. You will be its owner."
          />
          <div className="px-5 py-4">
            <CreateTeamForm />
          </div>
        </Card>
      </div>
    </>
  );
}

import { z } from "zod";

export const memberRoles = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const;

export const changeRoleInput = z.object({
  membershipId: z.string().min(1),
  role: z.enum(memberRoles, { error: "Choose a role." }),
});
export type ChangeRoleInput = z.infer<typeof changeRoleInput>;

export const removeMemberInput = z.object({ membershipId: z.string().min(1) });

export const createTeamInput = z.object({
  name: z.string({ error: "Name the team." }).trim().min(1, "Name the team.").max(60, "Use at most 60 characters."),
});
export type CreateTeamInput = z.infer<typeof createTeamInput>;

import { z } from "zod";

export const inviteRoles = ["ADMIN", "MEMBER", "VIEWER"] as const;
export const inviteDays = [1, 7, 30] as const;

export const createInviteInput = z.object({
  role: z.enum(inviteRoles, { error: "Choose the role the new teammate gets." }),
  days: z.coerce
    .number()
    .refine((d) => (inviteDays as readonly number[]).includes(d), "Choose 1, 7 or 30 days."),
});
export type CreateInviteInput = z.infer<typeof createInviteInput>;

export const inviteIdInput = z.object({ inviteId: z.string().min(1) });

export const acceptInviteInput = z.object({ token: z.string().min(1) });

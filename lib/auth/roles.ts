// Team roles, weakest last. What each may do is decided here and nowhere else.
import type { Role } from "@/lib/generated/prisma/enums";

const rank: Record<Role, number> = { OWNER: 4, ADMIN: 3, MEMBER: 2, VIEWER: 1 };

export function atLeast(role: Role, min: Role) {
  return rank[role] >= rank[min];
}

export const can = {
  /** Upload files, launch, cancel and retry batches. */
  run: (role: Role) => atLeast(role, "MEMBER"),
  /** Add, change and remove provider connections; invite people. */
  manage: (role: Role) => atLeast(role, "ADMIN"),
};

export const roleLabel: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", VIEWER: "Viewer" };

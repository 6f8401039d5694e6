// Inputs of the API token actions, shared by the tokens page (client) and the server actions.
import { z } from "zod";

export const tokenScopes = ["role", "read"] as const;
export const tokenDays = [7, 30, 90, 365, 0] as const;

const emptyAsUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const createTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100, "At most 100 characters."),
  /** "role": what the member's role allows; "read": reading only (GET). */
  scope: z.enum(tokenScopes),
  /** Days until it expires; 0: never. */
  days: z.coerce.number().refine((d) => (tokenDays as readonly number[]).includes(d), "Choose 7, 30, 90 or 365 days, or no expiry."),
  spendCapUsd: z.preprocess(emptyAsUndefined, z.coerce.number().positive("A spend cap must be more than $0, or left empty for none.").max(1_000_000).optional()),
  allowedConnectionIds: z.array(z.string().min(1)).max(100).default([]),
  defaultConnectionId: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const tokenIdInput = z.object({ tokenId: z.string().min(1) });

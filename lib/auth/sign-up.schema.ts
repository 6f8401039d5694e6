// What the sign-up, sign-in and password-change forms accept. Shared by the server actions and the
// forms (no secrets, no server-only imports), so the rules the user reads are the rules the server
// applies.
import { z } from "zod";
import { unstorableIn, unstorableMessage } from "@/lib/storable";

export const PASSWORD_RULE = "At least 10 characters, not only letters or only digits, and not your email.";

/** Why a password is too weak, or null when it is fine. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < 10) return "Use at least 10 characters.";
  if (password.length > 200) return "Use at most 200 characters.";
  if (/^[\p{L}]+$/u.test(password)) return "Add a digit or a symbol: a password of only letters is too easy to guess.";
  if (/^\d+$/.test(password)) return "Add letters: a password of only digits is too easy to guess.";
  const e = email.trim().toLowerCase();
  const p = password.toLowerCase();
  if (e && (p === e || p === e.split("@")[0])) return "Do not use your email as your password.";
  return null;
}

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

/** An invite token carried through the forms (?invite=...): opaque, base64url. */
const inviteToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{16,128}$/)
  .optional()
  .or(z.literal("").transform(() => undefined));

export const signUpInput = z
  .object({
    name: z
      .string({ error: "Enter your name." })
      .trim()
      .min(1, "Enter your name.")
      .max(80, "Use at most 80 characters.")
      // Stored as text, which PostgreSQL refuses with a NUL in it.
      .refine((n) => unstorableIn(n) === null, `Your name ${unstorableMessage("nul")}`),
    email,
    password: z.string({ error: "Choose a password." }).min(1, "Choose a password."),
    invite: inviteToken,
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password."),
  invite: inviteToken,
});
export type SignInInput = z.infer<typeof signInInput>;

/** The Account page's password change; the new password's rules need the email and are checked on the server. */
export const changePasswordInput = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
    newPassword: z.string({ error: "Choose a new password." }).min(1, "Choose a new password."),
    repeatPassword: z.string({ error: "Repeat the new password." }).min(1, "Repeat the new password."),
  })
  .refine((v) => v.newPassword === v.repeatPassword, { path: ["repeatPassword"], message: "The two new passwords differ." });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

/** What the sign-in and sign-up forms get back (useActionState). The password is never echoed. */
export interface AuthFormState {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: { name?: string; email?: string };
  /** The email has an account already: the form offers to sign in (whatever language the message is in). */
  emailTaken?: boolean;
}

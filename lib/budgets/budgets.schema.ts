// The budget forms' inputs (the Team page). An empty amount means no budget.
import { z } from "zod";

const amount = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? null : Number(v.trim().replace(/,/g, ""))) : v),
  z
    .number({ message: "Enter an amount, like 500 or 1250.50, or leave it empty for no budget." })
    .finite("Enter an amount, like 500 or 1250.50.")
    .min(0, "A budget cannot be negative.")
    .max(1e12, "A budget may be up to 1,000,000,000,000.")
    .nullable(),
);

export const teamBudgetInput = z.object({
  monthlyBudget: amount,
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "A currency is a 3-letter code, like USD, EUR or CNY."),
  // A checkbox: "on" when ticked, absent otherwise.
  enforce: z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean()),
});
export type TeamBudgetInput = z.infer<typeof teamBudgetInput>;

export const connectionBudgetInput = z.object({
  connectionId: z.string().min(1).max(64),
  monthlyBudget: amount,
});
export type ConnectionBudgetInput = z.infer<typeof connectionBudgetInput>;

// Batch statuses: every provider's spelling onto our one set (the raw value is kept on the batch
// too), and which of them are over. No server-only code.
import type { BatchStatus } from "@/lib/generated/prisma/enums";

const statusMap: Record<string, BatchStatus> = {
  validating: "VALIDATING",
  in_progress: "IN_PROGRESS",
  finalizing: "FINALIZING",
  completed: "COMPLETED",
  failed: "FAILED",
  expired: "EXPIRED",
  cancelling: "CANCELLING",
  canceling: "CANCELLING",
  cancelled: "CANCELLED",
  canceled: "CANCELLED",
};

/** Providers spell statuses their own way (Together: upper case); the raw value is kept too. */
export function normaliseStatus(raw: string | null | undefined): BatchStatus {
  return statusMap[(raw ?? "").toLowerCase()] ?? "VALIDATING";
}

export const terminalStatuses: BatchStatus[] = ["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"];

export function isTerminal(s: BatchStatus) {
  return terminalStatuses.includes(s);
}

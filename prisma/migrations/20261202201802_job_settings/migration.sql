-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "plannedParts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "settings" JSONB;

-- Jobs launched before this migration kept their settings only in their "job.launched" audit
-- event (and the parts of their latest plan in the last "job.launched" or "job.resumed" one).
UPDATE "Job" j
SET "settings" = a."data" - 'parts' - 'name' - 'file' - 'connection' - 'requests',
    "plannedParts" = COALESCE((
      SELECT (r."data" ->> 'parts')::int FROM "AuditEvent" r
      WHERE r."targetType" = 'job' AND r."targetId" = j."id" AND r."action" IN ('job.launched', 'job.resumed')
      ORDER BY r."id" DESC LIMIT 1), 0)
FROM "AuditEvent" a
WHERE a."targetType" = 'job' AND a."targetId" = j."id" AND a."action" = 'job.launched';

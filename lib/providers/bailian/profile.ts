// Alibaba Bailian / DashScope (seeds/bailian-openai-compatible-batch.txt): two regions, ds_name and
// ds_description metadata, hour/day windows, one model and one thinking mode per batch, a free
// test run on batch-test-model, list filters of its own, rate limits and a poll rate it asks for.
import { MB, openaiCapabilities, openaiMetadata, openaiNonRetryable, type ProviderProfile } from "@/lib/providers/profile";

export const BAILIAN_NO_INPUT =
  "Imported without its requests: Alibaba Bailian lets only a batch's output and error files be downloaded, never its input file (nor an OSS input, which Batchboard does not read). The results come with their custom_id, but the prompts are not shown.";

export const bailianProfile: ProviderProfile = {
  kind: "bailian",
  label: "Alibaba Bailian (DashScope)",
  baseUrls: [
    { label: "Beijing", url: "https://dashscope.aliyuncs.com/compatible-mode/v1" },
    { label: "Singapore", url: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" },
  ],
  uploadPurpose: "batch",
  endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/chat/ds-test"],
  endpointRules: { "/v1/chat/ds-test": { models: ["batch-test-model"], maxRequests: 100, maxFileBytes: 1 * MB } },
  completionWindows: ["24h", "48h", "72h", "7d", "14d"],
  windowRule: { kind: "duration", units: ["h", "d"], minHours: 24, maxHours: 336 },
  limits: { maxRequests: 50_000, maxFileBytes: 500 * MB, maxLineBytes: 6 * MB, oneModelPerBatch: true },
  metadata: { ...openaiMetadata, nameKey: "ds_name", nameMax: 100, descriptionKey: "ds_description", descriptionMax: 200 },
  statuses: { spelling: "lower" },
  ids: { batch: "batch_...", file: "file-batch-..." },
  capabilities: {
    ...openaiCapabilities,
    // "data_inspection_failed": Alibaba's content inspection refused the input (or the answer).
    nonRetryable: { ...openaiNonRetryable, data_inspection_failed: "refused by Alibaba's content inspection" },
    dryRun: { from: "/v1/chat/completions", endpoint: "/v1/chat/ds-test", model: "batch-test-model", maxRequests: 100, maxFileBytes: 1 * MB, answer: "This is a test result." },
    listBatches: {
      shape: "cursor",
      maxLimit: 100,
      filters: ["after", "limit", "ds_name", "input_file_ids", "status", "create_after", "create_before"],
      multiStatus: true,
      // "当前仅支持查询30天之内创建的Batch任务"
      maxAgeDays: 30,
    },
    // Retrieve: "建议创建Batch任务之后,每分钟调用1次该查询接口获取任务信息" (once a minute).
    pollIntervalMs: 60_000,
    // "仅支持下载以file-batch_output开头的file_id对应的文件": an input file (uploaded, or an OSS object) cannot be read back.
    inputNotKept: BAILIAN_NO_INPUT,
    // Per Alibaba Cloud account, per minute: create, retrieve and cancel 1000, list 100; at most
    // 1000 unfinished tasks ("最大运行任务数1000个(包括所有未结束的任务…)": a launch beyond waits in the queue); batch-test-model runs at most 2 tasks at once.
    rateLimits: { create: 1000, retrieve: 1000, list: 100, cancel: 1000, maxUnfinished: 1000, maxUnfinishedPerModel: { "batch-test-model": 2 } },
  },
  uncertain: ["metadata pairs other than ds_name/ds_description"],
  custom: false,
  sandboxMode: "bailian",
  docsUrl: "https://help.aliyun.com/zh/model-studio/batch-interfaces-compatible-with-openai",
};

// The sandbox's imitation of Alibaba Bailian (seeds/bailian-openai-compatible-batch.txt): file-batch-
// ids, windows of 24h..336h, ds_name/ds_description, one model and one thinking mode per batch,
// batch-test-model on /v1/chat/ds-test answering exactly "This is a test result.", unset fields sent
// as null, its list filters, only batches of the last 30 days queryable, only result files
// downloadable, OSS input named as something the sandbox cannot read.
import "server-only";
import { openaiImitation } from "@/lib/providers/openai/imitation";
import { makeId } from "@/lib/providers/sandbox/model";
import { MB, type SandboxMode } from "@/lib/providers/sandbox/mode";

export const bailianImitation: SandboxMode = {
  ...openaiImitation,
  name: "bailian",
  uploadPurposes: ["batch", "file-extract"],
  fileId: () => makeId("file-batch-"),
  batchId: () => makeId("batch_"),
  resultFileId: (batchId, kind) => makeId(kind === "output" ? "file-batch_output-" : "file-batch_error-", `${batchId}:${kind}`),
  endpoints: ["/v1/chat/completions", "/v1/embeddings", "/v1/chat/ds-test"],
  window: { units: ["h", "d"], minHours: 24, maxHours: 336 },
  maxFileBytes: 500 * MB,
  maxLineBytes: 6 * MB,
  oneModel: true,
  // "同一任务的批量请求务必选择同一模型,其思考模式(若支持)也须保持一致"
  oneThinkingMode: true,
  models: ["qwen-plus", "qwen-max", "qwen-turbo", "qwen-flash", "qwen-plus-latest", "qwen-turbo-latest", "qwen3-vl-plus", "qwq-plus", "deepseek-r1", "deepseek-v3", "text-embedding-v4", "text-embedding-v3", "batch-test-model"],
  // "仅支持下载以file-batch_output开头的file_id对应的文件"
  resultFilesOnly: true,
  // "当前仅支持查询30天之内创建的Batch任务"
  queryDays: 30,
  ossInput: true,
  metadataKeyMax: { ds_name: 100, ds_description: 200 },
  listFilters: ["after", "limit", "ds_name", "input_file_ids", "status", "create_after", "create_before"],
  nullFields: true,
  testEndpoint: { endpoint: "/v1/chat/ds-test", model: "batch-test-model", maxLines: 100, maxBytes: 1 * MB },
};

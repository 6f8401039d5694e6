// Answers checked against OpenAI's own OpenAPI document (../shared/openapi/openai-openapi.yaml), an
// authority this project did not write, with ajv: `expectSchema("Batch", value)` fails the test
// with ajv's own errors for anything the spec's schema does not allow.
import fs from "node:fs";
import { load as loadYaml } from "js-yaml";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { sharedPath } from "./shared";

const BASE = "https://spec.openai.local/openapi";
let ajv: Ajv2020 | undefined;

function spec(): Ajv2020 {
  if (ajv) return ajv;
  const doc = loadYaml(fs.readFileSync(sharedPath("openapi/openai-openapi.yaml"), "utf8")) as { components: Record<string, unknown> };
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("unixtime", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 });
  // The spec's refs are "#/components/schemas/X": give the components a root of their own.
  ajv.addSchema({ $id: BASE, components: doc.components });
  return ajv;
}

export function expectSchema(schema: string, value: unknown) {
  const validate = spec().getSchema(`${BASE}#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  const ok = validate(value);
  expect(ok ? [] : validate.errors, `${schema}: ${JSON.stringify(value)}`).toEqual([]);
}

/** Whether the spec's schema accepts the value (a test that the check has teeth). */
export function specAccepts(schema: string, value: unknown): boolean {
  const validate = spec().getSchema(`${BASE}#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate(value) as boolean;
}

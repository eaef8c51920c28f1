// The Sources page's "add a source" form for every connector, generated from each connector's zod configSchema
// (connectors/index.ts) rather than written per type: adding a connector adds its form. Values go through the same
// add-source service as `rapport sources add`; zod's issues come back beside the field they concern.
import { z } from "zod";
import { type AnyConnector, connectors } from "../../../connectors/index.js";
import { SOURCE_TYPES } from "../../../connectors/types.js";
import { isSecretField } from "../../platform/credentials.js";
import { CLI_ONLY_TYPES, isOperatorOnlyField as isOperatorOnly } from "./source-input-policy.js";

export type FieldInput = "text" | "password" | "url" | "number" | "select" | "checkboxes";

export interface ConfigField {
  name: string;
  label: string;
  input: FieldInput;
  required: boolean;
  /** Options of a select or of checkboxes. */
  options?: string[];
  /** Pre-checked checkboxes (array defaults). */
  checked?: string[];
  /** What the field accepts and what is used when it is left blank. */
  hint: string;
}

export interface SourceTypeForm {
  type: string;
  label: string;
  notice: string | null;
  fields: ConfigField[];
  canTestConnection: boolean;
}

const WORDS: Record<string, string> = { url: "URL", id: "ID", api: "API", ig: "IG", cfpb: "CFPB" };
function labelOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(" ")
    .map((w) => WORDS[w] ?? w);
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

interface JsonProperty {
  type?: string;
  format?: string;
  enum?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: { enum?: string[] };
}

function fieldOf(name: string, property: JsonProperty, required: boolean): ConfigField {
  const hints: string[] = [];
  let input: FieldInput = "text";
  let options: string[] | undefined;
  let checked: string[] | undefined;
  if (property.type === "array" && property.items?.enum) {
    input = "checkboxes";
    options = property.items.enum;
    checked = Array.isArray(property.default) ? (property.default as string[]) : undefined;
  } else if (property.enum) {
    input = "select";
    options = property.enum;
  } else if (property.type === "integer" || property.type === "number") {
    input = "number";
    if (property.minimum !== undefined && property.maximum !== undefined)
      hints.push(`${property.minimum}–${property.maximum}`);
    else if (property.maximum !== undefined) hints.push(`up to ${property.maximum}`);
    else if (property.minimum !== undefined) hints.push(`at least ${property.minimum}`);
    else if (property.exclusiveMinimum !== undefined) hints.push(`above ${property.exclusiveMinimum}`);
  } else if (isSecretField(name)) {
    input = "password";
  } else if (property.format === "uri") {
    input = "url";
  }
  if (property.pattern) hints.push(`format ${property.pattern}`);
  if (property.default !== undefined && input !== "checkboxes")
    hints.push(
      `blank: ${Array.isArray(property.default) ? property.default.join(", ") : String(property.default)}`,
    );
  return {
    name,
    label: labelOf(name),
    input,
    required,
    ...(options ? { options } : {}),
    ...(checked ? { checked } : {}),
    hint: hints.join("; "),
  };
}

function formFor(type: string, connector: AnyConnector): SourceTypeForm {
  const schema = z.toJSONSchema(connector.configSchema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonProperty>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return {
    type,
    label: connector.label,
    notice: connector.notice ?? null,
    fields: Object.entries(schema.properties ?? {})
      .filter(([name]) => !isOperatorOnly(name))
      .map(([name, property]) => fieldOf(name, property, required.has(name))),
    canTestConnection: Boolean(connector.testConnection),
  };
}

/** Every type a person may add from the dashboard, in the registry's order; push sources (webhook) last. */
export function sourceTypeForms(): SourceTypeForm[] {
  const forms = Object.entries(connectors)
    .filter(([type]) => !CLI_ONLY_TYPES.has(type))
    .map(([type, connector]) => formFor(type, connector!));
  if ((SOURCE_TYPES as readonly string[]).includes("webhook")) {
    forms.push({
      type: "webhook",
      label: "Push (POST /api/ingest/<name>)",
      notice: "Your system posts mentions to Rapport with a token shown once when the source is added.",
      fields: [],
      canTestConnection: false,
    });
  }
  return forms;
}

export function sourceTypeForm(type: string): SourceTypeForm | undefined {
  return sourceTypeForms().find((f) => f.type === type);
}

/** Form values as the connector's config: blanks left out (so zod's defaults apply), numbers as numbers. */
export function configFromForm(
  form: SourceTypeForm,
  values: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const field of form.fields) {
    const raw = values[field.name];
    if (field.input === "checkboxes") {
      const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((v) => field.options?.includes(v));
      if (list.length > 0) config[field.name] = list;
      continue;
    }
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
    if (value === "") continue;
    if (field.input === "number") {
      const number = Number(value);
      config[field.name] = Number.isFinite(number) ? number : value;
    } else {
      config[field.name] = value;
    }
  }
  return config;
}

/** zod's verdict on a config, per field, each message saying what to enter instead. */
export function configFieldErrors(type: string, config: Record<string, unknown>): Record<string, string> {
  const connector = connectors[type as keyof typeof connectors];
  if (!connector) return {};
  const parsed = connector.configSchema.safeParse(config);
  if (parsed.success) return {};
  const form = sourceTypeForm(type);
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? "config");
    if (errors[name]) continue;
    errors[name] = fixFor(
      issue,
      form?.fields.find((f) => f.name === name),
    );
  }
  return errors;
}

function fixFor(issue: z.core.$ZodIssue, field: ConfigField | undefined): string {
  const label = field?.label ?? "This field";
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `${label} is required: enter it.`;
      return issue.expected === "number"
        ? `${label} must be a number.`
        : `${label} has the wrong kind of value.`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) <= 1) return `${label} is required: enter it.`;
      if (issue.origin === "string")
        return `${label} is too short (at least ${issue.minimum} characters): ${issue.message}`;
      if (issue.origin === "array") return `${label}: tick at least ${issue.minimum}.`;
      return `${label} must be at least ${issue.minimum}.`;
    case "too_big":
      return issue.origin === "string"
        ? `${label} is too long (at most ${issue.maximum} characters).`
        : `${label} must be at most ${issue.maximum}.`;
    case "invalid_format":
      return issue.format === "url"
        ? `${label} must be a full URL starting with https:// (${issue.message}).`
        : `${label} does not have the expected format: ${issue.message}.`;
    case "invalid_value":
      return `${label} must be one of ${issue.values.map(String).join(", ")}.`;
    default:
      return `${label}: ${issue.message}`;
  }
}

/**
 * The edit form's values as a patch of the stored config (see ConfigPatch in edit-source.ts): every field of the
 * form is named, blanks clear a setting (its default applies) except credentials, where blank keeps the stored one.
 */
export function configPatchFromForm(
  form: SourceTypeForm,
  values: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of form.fields) {
    const raw = values[field.name];
    if (field.input === "checkboxes") {
      const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((v) => field.options?.includes(v));
      patch[field.name] = list.length > 0 ? list : null;
      continue;
    }
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
    if (field.input === "password") {
      if (value !== "") patch[field.name] = value;
      continue;
    }
    if (value === "") patch[field.name] = null;
    else if (field.input === "number") {
      const number = Number(value);
      patch[field.name] = Number.isFinite(number) ? number : value;
    } else patch[field.name] = value;
  }
  return patch;
}

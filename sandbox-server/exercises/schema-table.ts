import type { z } from 'zod';

/** One documented field of an object schema. */
export interface FieldRow {
  name: string;
  type: string;
  default: string;
  required: boolean;
  description: string;
}

type AnySchema = z.core.$ZodType;
type Def = { type: string; innerType?: AnySchema; defaultValue?: unknown; entries?: Record<string, unknown>; element?: AnySchema; shape?: Record<string, AnySchema>; in?: AnySchema; checks?: { _zod: { def: Record<string, unknown> } }[] };

const defOf = (s: AnySchema): Def => s._zod.def as unknown as Def;

/** Strips optional/default/pipe wrappers, noting whether the field may be left out and its default. */
function unwrap(schema: AnySchema): { core: AnySchema; optional: boolean; defaultValue?: unknown } {
  let core = schema;
  let optional = false;
  let defaultValue: unknown;
  for (;;) {
    const def = defOf(core);
    if (def.type === 'optional' && def.innerType) optional = true;
    else if (def.type === 'default' && def.innerType) [optional, defaultValue] = [true, def.defaultValue];
    else if (def.type === 'pipe' && def.in) core = def.in;
    if ((def.type === 'optional' || def.type === 'default') && def.innerType) core = def.innerType;
    else if (def.type !== 'pipe') break;
  }
  return defaultValue === undefined ? { core, optional } : { core, optional, defaultValue };
}

/** Bounds and formats zod keeps as checks, e.g. "1–120". */
function bounds(schema: AnySchema): string {
  let min: unknown;
  let max: unknown;
  let integer = false;
  for (const check of defOf(schema).checks ?? []) {
    const d = check._zod.def;
    if (d.check === 'greater_than') min = d.value;
    if (d.check === 'less_than') max = d.value;
    if (d.check === 'number_format' && String(d.format).includes('int')) integer = true;
  }
  const range = min !== undefined && max !== undefined ? ` ${String(min)}–${String(max)}` : min !== undefined ? ` ≥ ${String(min)}` : max !== undefined ? ` ≤ ${String(max)}` : '';
  return `${integer ? 'integer' : 'number'}${range}`;
}

/** A short human-readable type, e.g. `'a' \| 'b'`, `integer 1–120`, `list of files[] entries`. */
function typeName(schema: AnySchema, name: string): string {
  const def = defOf(schema);
  switch (def.type) {
    case 'enum':
      return Object.values(def.entries ?? {}).map((v) => `\`${String(v)}\``).join(' \\| ');
    case 'number':
      return bounds(schema);
    case 'array': {
      const element = def.element ? defOf(def.element) : undefined;
      return element?.type === 'object' ? `list of \`${name}[]\` entries` : `list of ${def.element ? typeName(def.element, name) : 'values'}`;
    }
    case 'object':
      return 'mapping';
    case 'string': {
      const pattern = (def.checks ?? []).map((c) => c._zod.def.pattern).find((p) => p instanceof RegExp);
      return pattern ? `string matching \`${pattern.source}\`` : 'string';
    }
    default:
      return def.type;
  }
}

function describe(schema: AnySchema): string {
  return (schema as unknown as { description?: string }).description ?? '';
}

/** Every field of an object schema, nested list-of-object fields as `name[].sub`, from zod's own definitions. */
export function schemaRows(object: AnySchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const [key, field] of Object.entries(defOf(object).shape ?? {})) {
    const name = prefix + key;
    const { core, optional, defaultValue } = unwrap(field);
    rows.push({
      name,
      type: typeName(core, name),
      default: defaultValue === undefined ? '' : JSON.stringify(defaultValue),
      required: !optional,
      description: describe(field) || describe(core),
    });
    const def = defOf(core);
    if (def.type === 'array' && def.element && defOf(def.element).type === 'object') rows.push(...schemaRows(def.element, `${name}[].`));
    if (def.type === 'object') rows.push(...schemaRows(core, `${name}.`));
  }
  return rows;
}

/** The rows as a Markdown table. */
export function markdownTable(rows: FieldRow[]): string {
  const cell = (s: string): string => s.replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| Field | Type | Default | Required | Description |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(`| \`${r.name}\` | ${r.type} | ${r.default ? `\`${cell(r.default)}\`` : '—'} | ${r.required ? 'yes' : 'no'} | ${cell(r.description)} |`);
  }
  return lines.join('\n');
}

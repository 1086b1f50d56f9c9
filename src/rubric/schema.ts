/** The rubric JSON Schema (rubrics/rubric.schema.json, the single source of truth) and its compiled validator. */
import { Ajv } from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import rubricSchema from '../../rubrics/rubric.schema.json' with { type: 'json' };
import type { RubricFile } from './schema.generated.js';
import { validate as isRubricFile } from './schema-validator.generated.js';

export const schema: SchemaObject = rubricSchema;

let validator: ValidateFunction<RubricFile> | undefined;

function compiled(): ValidateFunction<RubricFile> {
  validator ??= new Ajv({
    allErrors: true,
    // `verbose` keeps each failing schema on its error: needed to list the keys allowed there.
    verbose: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: true,
    strictTuples: true,
    // `{ required: [kind] }` branches name keys that `properties` defines one level up.
    strictRequired: false,
    allowUnionTypes: true,
  }).compile<RubricFile>(schema);
  return validator;
}

/**
 * Validates plain rubric data; the errors are ajv's raw ones (see schema-errors.ts for the readable form).
 * A valid rubric is told by the precompiled validator; the schema is compiled only to explain an invalid one.
 */
export function validateSchema(data: unknown): { valid: true; rubric: RubricFile } | { valid: false; errors: ErrorObject[] } {
  if (isRubricFile(data)) return { valid: true, rubric: data as RubricFile };
  const validate = compiled();
  if (validate(data)) return { valid: true, rubric: data };
  return { valid: false, errors: validate.errors ?? [] };
}

type Definitions = Record<string, SchemaObject>;

/** A definition of the schema by name (`matcher`, `check`, `httpCheck`...). */
export function definition(name: string): SchemaObject | undefined {
  return (schema.definitions as Definitions | undefined)?.[name];
}

/** The check kind keys, in the schema's order: every `{ required: [kind] }` branch of a check's `oneOf`. */
export const CHECK_KIND_KEYS: readonly string[] = (definition('check')?.oneOf as { required: string[] }[]).map(
  (branch) => branch.required[0]!,
);

/**
 * Names for schema nodes, looked up by identity on ajv's `parentSchema`: ajv inlines some
 * `$ref`s and compiles others apart, so `schemaPath` alone does not say which definition failed.
 * Every definition (and each branch of its union) is named after the definition.
 */
const roles = new Map<object, string>();
for (const [name, node] of Object.entries((schema.definitions ?? {}) as Record<string, SchemaObject>)) {
  roles.set(node, name);
  for (const branch of (node.anyOf ?? []) as SchemaObject[]) roles.set(branch, name);
}
const NAMED_PROPERTIES: [name: string, owner: string, property: string][] = [
  ['checkId', 'check', 'id'],
  ['instruction', 'dockerfileCheck', 'instruction'],
  ['httpPath', 'httpCheck', 'path'],
];
for (const [name, owner, property] of NAMED_PROPERTIES) {
  const node = (definition(owner)?.properties as Record<string, SchemaObject> | undefined)?.[property];
  if (node) roles.set(node, name);
}

/** The name of the schema node an ajv error comes from (`duration`, `matcher`, `check`, `checkId`...), if it has one. */
export function schemaRole(node: unknown): string | undefined {
  return typeof node === 'object' && node !== null ? roles.get(node) : undefined;
}

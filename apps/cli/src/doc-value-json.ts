/**
 * A document value as JSON. Values travel as msgpack, which holds more than
 * JSON does, and a node answers with what `@vig/wire` decodes: maps as `Map`s,
 * 64-bit integers as `bigint`s. What `vig doc put` wrote (parsed JSON) comes
 * back as the same JSON; a value another program wrote is shown as close to
 * it as JSON gets.
 */

/** A JSON value, as `JSON.stringify` writes it. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [field: string]: JsonValue };

/**
 * `value` as JSON: a map becomes an object (keys that are not strings
 * written as their JSON text, such as `"1"`), a bigint a number when it is
 * a safe integer and a decimal string otherwise, bytes a base64 string, a
 * date its ISO 8601 string, and anything else JSON cannot hold (undefined,
 * a function) `null`.
 */
export function jsonOfDocValue(value: unknown): JsonValue {
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'object':
      return value === null ? null : jsonOfObject(value);
    default:
      return null;
  }
}

/** A non-null object (array, map, bytes, date or plain object) as JSON. */
function jsonOfObject(value: object): JsonValue {
  if (Array.isArray(value)) return value.map(jsonOfDocValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const entries: Iterable<[unknown, unknown]> =
    value instanceof Map ? (value as Map<unknown, unknown>) : Object.entries(value);
  const fields: [string, JsonValue][] = [];
  for (const [key, entry] of entries) fields.push([jsonKey(key), jsonOfDocValue(entry)]);
  return Object.fromEntries(fields);
}

/** A map key as an object's field name: a string as it is, anything else as its JSON text. */
function jsonKey(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(jsonOfDocValue(key));
}

import type { Context } from 'hono';
import type { z } from 'zod';
import { jsonBody, parseRequest } from '../validate.ts';

/** Whether the request was posted by an HTML form (the fallback sign-in and join pages). */
export function isFormPost(c: Context): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '');
}

/** Reads a JSON body or a posted form against `schema`; a 400 names the field that is wrong. */
export async function jsonOrFormBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  if (!isFormPost(c)) return jsonBody(c, schema);
  const form = await c.req.parseBody();
  // An empty optional field of a form means "not given".
  const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string' && v !== ''));
  return parseRequest(schema, fields);
}

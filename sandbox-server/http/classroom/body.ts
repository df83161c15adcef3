import type { Context } from 'hono';
import type { z } from 'zod';
import { jsonBody, parseRequest } from '../validate.ts';
import { refusalPage } from './pages.ts';

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

/**
 * Runs a route that the fallback pages post forms to: a form post that is refused gets a page
 * saying why (a person reads it), a JSON request the usual error body.
 */
export async function answerForm(c: Context, title: string, run: () => Promise<Response>): Promise<Response> {
  if (!isFormPost(c)) return run();
  try {
    return await run();
  } catch (err) {
    return refusalPage(c, title, err);
  }
}

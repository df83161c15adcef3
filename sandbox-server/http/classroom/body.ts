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
  return parseRequest(schema, await formFields(c));
}

/** The text fields of a posted form; an empty field means "not given". */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const form = await c.req.parseBody();
  return Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

/**
 * Runs a route that the fallback pages post forms to: a form post that is refused gets a page
 * saying why (a person reads it), a JSON request the usual error body.
 */
export async function answerForm(c: Context, title: string, run: () => Promise<Response>): Promise<Response> {
  return answerPageIf(isFormPost(c), c, title, run);
}

/**
 * Runs a route a browser navigates to (the provider's redirect back, a sign-in button's link):
 * a refusal is a page for a browser that asks for HTML, the usual error body for anything else.
 */
export async function answerNavigation(c: Context, title: string, run: () => Promise<Response>): Promise<Response> {
  return answerPageIf(/\btext\/html\b/i.test(c.req.header('accept') ?? ''), c, title, run);
}

/** Runs a route a person's browser is on: a refusal is a page saying why, with its status. */
export async function answerPage(c: Context, title: string, run: () => Promise<Response>): Promise<Response> {
  return answerPageIf(true, c, title, run);
}

async function answerPageIf(asPage: boolean, c: Context, title: string, run: () => Promise<Response>): Promise<Response> {
  if (!asPage) return run();
  try {
    return await run();
  } catch (err) {
    return refusalPage(c, title, err);
  }
}

/**
 * The wire contract between the browser and the sandbox server: zod schemas where the server
 * validates, and the types both ends use. The site imports these as types only.
 */
export * from './errors.ts';
export * from './exercise-page.ts';
export * from './run-events.ts';
export * from './session.ts';
export * from './terminal.ts';
export * from './verdict.ts';
export * from './classroom.ts';

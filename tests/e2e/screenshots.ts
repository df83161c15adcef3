import { join } from 'node:path';

/** Where a browser test saves a screenshot named `name`, to be looked at after the run. */
export function screenshotPath(name: string): string {
  return join(import.meta.dirname, '..', 'screenshots', `${name}.png`);
}

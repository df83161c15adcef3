import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';

/** When and how much a class start grows the docker warm pool. */
export interface PrewarmSettings {
  /** How long before a class starts its students' sandboxes are made ready. */
  leadMs: number;
  /** How long after the start the unused ones are kept, for latecomers; then they are released. */
  holdMs: number;
  /** At most this many extra sandboxes on the engine, however many students start (the machine's capacity). */
  max: number;
}

/** A class that starts, as the planner needs it. */
export interface ClassStart {
  startsAt: number;
  students: number;
}

/** Extra docker sandboxes wanted on the engine at `now`: the students of every class within its window, capped at `max`. */
export function prewarmWanted(starts: readonly ClassStart[], now: number, settings: PrewarmSettings): number {
  let wanted = 0;
  for (const start of starts) {
    if (now >= start.startsAt - settings.leadMs && now < start.startsAt + settings.holdMs) wanted += start.students;
  }
  return Math.min(wanted, settings.max);
}

/** The open classes whose window (`leadMs` before their start to `holdMs` after) holds `now`, with their number of students. */
export async function classStartsAround(db: Kysely<Tables>, now: number, settings: PrewarmSettings): Promise<ClassStart[]> {
  const rows = await db
    .selectFrom('classes')
    .leftJoin('enrollments', 'enrollments.class_id', 'classes.id')
    .select(['classes.starts_at as startsAt', (eb) => eb.fn.count<number | string | bigint>('enrollments.user_id').as('students')])
    .where('classes.closed_at', 'is', null)
    .where('classes.starts_at', '>', new Date(now - settings.holdMs).toISOString())
    .where('classes.starts_at', '<=', new Date(now + settings.leadMs).toISOString())
    .groupBy(['classes.id', 'classes.starts_at'])
    .execute();
  return rows.map((row) => ({ startsAt: Date.parse(row.startsAt!), students: Number(row.students) }));
}

/**
 * The class starts of the shared database, read by every server: how many extra docker sandboxes the engine
 * should hold now. Each server keeps its share of them (with the configured pool), as of the warm pools.
 */
export class ClassPrewarm {
  #db: Kysely<Tables>;
  readonly settings: PrewarmSettings;
  #now: () => number;

  constructor(db: Kysely<Tables>, settings: PrewarmSettings, now: () => number = Date.now) {
    this.#db = db;
    this.settings = settings;
    this.#now = now;
  }

  /** Extra docker sandboxes wanted on the engine now. */
  async wanted(): Promise<number> {
    if (this.settings.max <= 0) return 0;
    const now = this.#now();
    return prewarmWanted(await classStartsAround(this.#db, now, this.settings), now, this.settings);
  }
}

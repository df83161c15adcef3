import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { ownerAlive } from '../docker/owner.ts';

/** However often a server beats, it counts as gone only this long after its last beat (a loaded host's timers run late). */
export const LAPSE_MIN_MS = 10_000;

/** A server that shares the database, as its last heartbeat left it. */
export interface ServerRow {
  id: string;
  owner: string;
  engine: string;
  lapses_at: string;
}

/** Who this server is among the servers sharing the database. */
export interface MembershipSettings {
  /** Unique among the servers; the same across a restart, so a restarted server takes its sessions back at once. */
  id: string;
  /** This process, `host/pid`. */
  owner: string;
  /**
   * Whether `id` was chosen by the operator: then a live process holding it is waited out. A default id held by
   * a live process (two servers started on one data folder) becomes `<id>/<pid>` instead.
   */
  chosen?: boolean;
  /** How often the heartbeat is renewed; a server is gone once three have been missed (and at least LAPSE_MIN_MS passed). */
  heartbeatMs: number;
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * This server's place among the servers sharing one database: a row renewed every heartbeat, and the
 * list of the others still alive (their heartbeat not lapsed), refreshed with each beat.
 */
export class ServerMembership {
  #id: string;
  readonly owner: string;
  readonly #chosen: boolean;
  readonly heartbeatMs: number;
  /** The Docker engine's ID (what "the same engine" means across servers), known once joined. */
  engine = '';
  #db: Kysely<Tables>;
  #now: () => number;
  #log: (line: string) => void;
  #live: ServerRow[] = [];

  constructor(db: Kysely<Tables>, settings: MembershipSettings) {
    this.#db = db;
    this.#id = settings.id;
    this.owner = settings.owner;
    this.#chosen = settings.chosen ?? false;
    this.heartbeatMs = settings.heartbeatMs;
    this.#now = settings.now ?? Date.now;
    this.#log = settings.log ?? (() => {});
  }

  /** This server's id among the servers sharing the database. */
  get id(): string {
    return this.#id;
  }

  /** The servers alive at the last beat, this one included. */
  get live(): readonly ServerRow[] {
    return this.#live;
  }

  /** The ids of the live servers on this server's engine, in a fixed order (this one included). */
  peers(): string[] {
    return this.#live.filter((s) => s.engine === this.engine).map((s) => s.id).sort();
  }

  /**
   * Whether server `id` is alive now: its row is there and its heartbeat has not lapsed. A server that ran under a
   * one-off id (`<id>/<pid>`, its default id being held) whose process on this host has ended is gone at once:
   * nothing will come back under that id to take its sessions.
   */
  async isLive(id: string): Promise<boolean> {
    if (id === this.id) return true;
    const row = await this.#db.selectFrom('sandbox_servers').select(['lapses_at', 'owner']).where('id', '=', id).executeTakeFirst();
    if (!row || row.lapses_at <= this.#iso(0)) return false;
    const pid = /\/(\d+)$/.exec(row.owner)?.[1];
    return !(pid && id.endsWith(`/${pid}`) && ownerAlive(row.owner) === false);
  }

  /**
   * Takes this server's row. Another live process holding the same id (not known to have ended) is waited
   * out until its heartbeat lapses, so two processes never both act as one server. `engine` is the engine's ID.
   */
  async join(engine: string): Promise<void> {
    this.engine = engine;
    for (let said = false; ; said = true) {
      const row = await this.#db.selectFrom('sandbox_servers').selectAll().where('id', '=', this.id).executeTakeFirst();
      const held = row && row.owner !== this.owner && row.lapses_at > this.#iso(0) && ownerAlive(row.owner) !== false;
      if (!held) break;
      if (!this.#chosen) {
        this.#log(`server id ${this.#id} is held by ${row.owner}, which still runs; this server is ${this.#id}/${process.pid}`);
        this.#id = `${this.#id}/${/\/(\d+)$/.exec(this.owner)?.[1] ?? process.pid}`;
        continue;
      }
      if (!said) this.#log(`server id ${this.id} is held by ${row.owner} (alive until ${row.lapses_at}); waiting for it to lapse`);
      await new Promise((r) => setTimeout(r, this.heartbeatMs));
    }
    await this.beat();
  }

  /** Renews this server's heartbeat and reads which servers are alive. */
  async beat(): Promise<readonly ServerRow[]> {
    const at = this.#iso(0);
    const values = { owner: this.owner, engine: this.engine, heartbeat_at: at, lapses_at: this.#iso(Math.max(3 * this.heartbeatMs, LAPSE_MIN_MS)) };
    await this.#db
      .insertInto('sandbox_servers')
      .values({ id: this.id, started_at: at, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    this.#live = await this.#db.selectFrom('sandbox_servers').select(['id', 'owner', 'engine', 'lapses_at']).where('lapses_at', '>', at).execute();
    return this.#live;
  }

  /** Whether sessions on this engine are still held by servers that are gone (someone should take them over). */
  async orphansOnEngine(): Promise<boolean> {
    const live = this.#live.map((s) => s.id);
    const row = await this.#db
      .selectFrom('sandbox_sessions')
      .select('id')
      .where('engine', '=', this.engine)
      .where('server_id', 'not in', live.length ? live : [this.id])
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Forgets servers gone for an hour that hold no session any more. */
  async pruneGone(): Promise<void> {
    await this.#db
      .deleteFrom('sandbox_servers')
      .where('lapses_at', '<', this.#iso(-60 * 60_000))
      .where('id', 'not in', this.#db.selectFrom('sandbox_sessions').select('server_id'))
      .execute();
  }

  #iso(offsetMs: number): string {
    return new Date(this.#now() + offsetMs).toISOString();
  }
}

/** Of `size` warm sandboxes wanted on an engine, the ones server `id` keeps: the size split evenly over the live `peers`. */
export function shareOf(size: number, peers: readonly string[], id: string): number {
  const n = Math.max(1, peers.length);
  const rank = Math.max(0, peers.indexOf(id));
  return Math.floor(size / n) + (rank < size % n ? 1 : 0);
}

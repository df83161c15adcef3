import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import type { Claim, LedgerEntry, SessionLedger } from '../sessions/ledger.ts';
import type { SandboxKind } from '../base/names.ts';
import type { ServerMembership } from './servers.ts';

/**
 * The session ledger of servers sharing one database: a row per session with the server that holds it and the
 * client's slot. A client's cap is its slots 0…cap-1 (a unique pair), so two servers never both grant the last one;
 * a gone server's sessions are taken over by one conditional update, so only one server adopts each.
 */
export class DatabaseLedger implements SessionLedger {
  #db: Kysely<Tables>;
  #servers: ServerMembership;
  #log: (line: string) => void;

  constructor(db: Kysely<Tables>, servers: ServerMembership, log: (line: string) => void = () => {}) {
    this.#db = db;
    this.#servers = servers;
    this.#log = log;
  }

  async reserve(entry: LedgerEntry, perClient: number): Promise<boolean> {
    for (let slot = 0; slot < perClient; slot++) if (await this.#insert(entry, slot)) return true;
    return false;
  }

  async hold(entry: LedgerEntry): Promise<void> {
    const taken = await this.#db.updateTable('sandbox_sessions').set({ server_id: this.#servers.id }).where('id', '=', entry.id).executeTakeFirst();
    if (Number(taken.numUpdatedRows) > 0) return;
    // Adopted whatever the cap: the first free slot, past the cap if need be.
    for (let slot = 0; slot < 1000; slot++) if (await this.#insert(entry, slot)) return;
    throw new Error(`no free slot for session ${entry.id} of ${entry.clientKey}`);
  }

  async attach(id: string, sandboxId: string): Promise<void> {
    await this.#db.updateTable('sandbox_sessions').set({ sandbox_id: sandboxId }).where('id', '=', id).execute();
  }

  async release(id: string): Promise<void> {
    await this.#db.deleteFrom('sandbox_session_tokens').where('session_id', '=', id).execute();
    await this.#db.deleteFrom('sandbox_sessions').where('id', '=', id).execute();
  }

  async sessionsOf(clientKey: string): Promise<LedgerEntry[]> {
    const rows = await this.#db.selectFrom('sandbox_sessions').selectAll().where('client_key', '=', clientKey).orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      clientKey: r.client_key,
      kind: r.kind as SandboxKind,
      createdAt: Date.parse(r.created_at),
      expiresAt: Date.parse(r.expires_at),
      sandboxId: r.sandbox_id ?? undefined,
    }));
  }

  async claim(id: string): Promise<Claim> {
    const row = await this.#db.selectFrom('sandbox_sessions').select('server_id').where('id', '=', id).executeTakeFirst();
    if (!row) return 'unknown';
    if (row.server_id === this.#servers.id) return 'held';
    if (await this.#servers.isLive(row.server_id)) return 'other';
    const taken = await this.#db
      .updateTable('sandbox_sessions')
      .set({ server_id: this.#servers.id })
      .where('id', '=', id)
      .where('server_id', '=', row.server_id)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return 'other';
    this.#log(`took over session ${id} from server ${row.server_id}: its heartbeat lapsed`);
    return 'held';
  }

  liveOwner(owner: string | undefined): boolean | undefined {
    return owner !== undefined && this.#servers.live.some((s) => s.owner === owner) ? true : undefined;
  }

  async addToken(id: string, tokenHash: string): Promise<void> {
    await this.#db.insertInto('sandbox_session_tokens').values({ session_id: id, token_hash: tokenHash }).execute();
  }

  async tokens(id: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('sandbox_session_tokens').select('token_hash').where('session_id', '=', id).execute();
    return rows.map((r) => r.token_hash);
  }

  async tidy(held: ReadonlySet<string>, markers: ReadonlySet<string>): Promise<void> {
    const rows = await this.#db.selectFrom('sandbox_sessions').select(['id', 'server_id']).where('engine', '=', this.#servers.engine).execute();
    const live = new Set(this.#servers.live.map((s) => s.id));
    for (const row of rows) {
      const mine = row.server_id === this.#servers.id;
      // Mine and no longer held; or a gone server's with nothing left in the engine (it died creating it).
      if ((mine && !held.has(row.id)) || (!mine && !live.has(row.server_id) && !markers.has(row.id))) await this.release(row.id);
    }
    await this.#servers.pruneGone();
  }

  async #insert(entry: LedgerEntry, slot: number): Promise<boolean> {
    const result = await this.#db
      .insertInto('sandbox_sessions')
      .values({
        id: entry.id,
        server_id: this.#servers.id,
        engine: this.#servers.engine,
        client_key: entry.clientKey,
        slot,
        kind: entry.kind,
        sandbox_id: entry.sandboxId ?? null,
        created_at: new Date(entry.createdAt).toISOString(),
        expires_at: new Date(entry.expiresAt).toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }
}

import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { LINEITEM_SCOPE, SCORE_SCOPE } from './claims.ts';
import { findPlatform, type Platform } from './platforms.ts';
import { TOOL_ALG, toolKeys, type ToolKeys } from './tool-keys.ts';

type Db = Kysely<Tables>;
const iso = (ms: number) => new Date(ms).toISOString();

/** After this many failed sends in a row a grade is marked failed (a new Check queues it again). */
export const MAX_ATTEMPTS = 8;
/** How long a sender holds a grade it is sending before another may take it. */
const CLAIM_MS = 2 * 60_000;
/** A token is renewed this long before the platform says it expires. */
const TOKEN_MARGIN_MS = 60_000;

/** The AGS score document (application/vnd.ims.lis.v1.score+json). */
export interface AgsScore {
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
  gradingProgress: 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
  timestamp: string;
}

/** A grade to send as the instructor sees it. */
export interface GradeSendState {
  userId: string;
  displayName: string;
  exercise: string;
  state: 'pending' | 'sent' | 'failed';
  scoreGiven: number | null;
  scoreMaximum: number | null;
  activityProgress: string | null;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}

/** The score URL of a line item: its path with /scores appended, its query kept (Moodle's line items carry one). */
export function scoresUrl(lineitem: string): string {
  const url = new URL(lineitem);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`;
  return url.toString();
}

/**
 * Sends each LTI student's grade of an exercise to their LMS (Assignment and Grade Services):
 * the best score of their Checks, out of its maximum, Completed once they passed. A grade waits
 * in the database until the platform takes it: a failed send is logged, kept with its error
 * (the instructor's API shows it) and tried again later; the Check itself is never affected.
 */
export class GradePassback {
  private readonly db: Db;
  private readonly platforms: readonly Platform[];
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private keys: Promise<ToolKeys> | undefined;
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(db: Db, platforms: readonly Platform[], opts: { log?: (line: string) => void; now?: () => number } = {}) {
    this.db = db;
    this.platforms = platforms;
    this.log = opts.log ?? (() => {});
    this.now = opts.now ?? Date.now;
  }

  /** Queues the grade of an exercise after a recorded Check and sends it; never throws. */
  async checkRecorded(userId: string, exercise: string): Promise<void> {
    try {
      const link = await this.db.selectFrom('lti_grade_links').select('user_id').where('user_id', '=', userId).where('exercise_slug', '=', exercise).executeTakeFirst();
      if (!link) return;
      const now = iso(this.now());
      const values = { state: 'pending' as const, attempts: 0, updated_at: now, next_try_at: now };
      await this.db
        .insertInto('lti_score_sends')
        .values({ user_id: userId, exercise_slug: exercise, ...values })
        .onConflict((oc) => oc.columns(['user_id', 'exercise_slug']).doUpdateSet(values))
        .execute();
      await this.trySend(userId, exercise);
    } catch (err) {
      this.log(`LTI grade of ${exercise} for ${userId} could not be queued: ${(err as Error).message}`);
    }
  }

  /** Sends every grade whose time has come (queued, or due for another try); returns how many were sent. */
  async sendDue(): Promise<number> {
    const due = await this.db
      .selectFrom('lti_score_sends')
      .select(['user_id', 'exercise_slug'])
      .where('state', '=', 'pending')
      .where('next_try_at', '<=', iso(this.now()))
      .orderBy('next_try_at')
      .limit(100)
      .execute();
    let sent = 0;
    for (const row of due) if (await this.trySend(row.user_id, row.exercise_slug)) sent++;
    return sent;
  }

  /** The grades of a class's students, as sent or still to send. */
  async ofClass(classId: string): Promise<GradeSendState[]> {
    const rows = await this.db
      .selectFrom('lti_score_sends')
      .innerJoin('enrollments', 'enrollments.user_id', 'lti_score_sends.user_id')
      .innerJoin('users', 'users.id', 'lti_score_sends.user_id')
      .selectAll('lti_score_sends')
      .select('users.display_name')
      .where('enrollments.class_id', '=', classId)
      .orderBy('users.display_name')
      .orderBy('lti_score_sends.exercise_slug')
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      displayName: r.display_name,
      exercise: r.exercise_slug,
      state: r.state,
      scoreGiven: r.score_given,
      scoreMaximum: r.score_maximum,
      activityProgress: r.activity_progress,
      attempts: r.attempts,
      lastError: r.last_error,
      sentAt: r.sent_at,
    }));
  }

  /** Claims one queued grade (one sender at a time, across servers) and sends it; true when the platform took it. */
  private async trySend(userId: string, exercise: string): Promise<boolean> {
    const now = this.now();
    const claimed = await this.db
      .updateTable('lti_score_sends')
      .set({ next_try_at: iso(now + CLAIM_MS) })
      .where('user_id', '=', userId)
      .where('exercise_slug', '=', exercise)
      .where('state', '=', 'pending')
      .where('next_try_at', '<=', iso(now))
      .returning(['updated_at', 'attempts'])
      .executeTakeFirst();
    if (!claimed) return false;
    const mine = this.db.updateTable('lti_score_sends').where('user_id', '=', userId).where('exercise_slug', '=', exercise);
    try {
      const score = await this.send(userId, exercise);
      // A Check recorded while this one was on its way queued a newer grade: it stays pending and goes next.
      const done = await mine
        .set({ state: 'sent', sent_at: iso(this.now()), last_error: null, score_given: score.scoreGiven ?? null, score_maximum: score.scoreMaximum ?? null, activity_progress: score.activityProgress })
        .where('updated_at', '=', claimed.updated_at)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) await mine.set({ next_try_at: iso(this.now()) }).execute();
      return true;
    } catch (err) {
      const attempts = claimed.attempts + 1;
      const message = (err as Error).message.slice(0, 500);
      const retryIn = Math.min(60 * 60_000, 30_000 * 2 ** (attempts - 1));
      await mine
        .set({ state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts, last_error: message, next_try_at: iso(this.now() + retryIn) })
        .execute();
      this.log(`LTI grade of ${exercise} for ${userId} was not sent (attempt ${attempts}): ${message}`);
      return false;
    }
  }

  /** Posts a student's grade of an exercise to its line item. */
  private async send(userId: string, exercise: string): Promise<AgsScore> {
    const link = await this.db.selectFrom('lti_grade_links').selectAll().where('user_id', '=', userId).where('exercise_slug', '=', exercise).executeTakeFirstOrThrow();
    const platform = findPlatform(this.platforms, link.issuer, link.client_id);
    if (!platform) throw new Error(`the LMS ${link.issuer} (client ${link.client_id}) is no longer registered`);
    const score = await this.scoreOf(userId, exercise, link.subject);
    const scopes = link.lineitem ? [SCORE_SCOPE] : [SCORE_SCOPE, LINEITEM_SCOPE];
    const lineitem = link.lineitem || (await this.makeLineItem(platform, link, exercise, score.scoreMaximum ?? 1));
    const post = (token: string) =>
      fetch(scoresUrl(lineitem), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
        body: JSON.stringify(score),
        signal: AbortSignal.timeout(15_000),
      });
    let res = await post(await this.accessToken(platform, scopes));
    if (res.status === 401) {
      // The platform dropped the token before its time: one more try with a new one.
      this.tokens.delete(tokenKey(platform, scopes));
      res = await post(await this.accessToken(platform, scopes));
    }
    if (!res.ok) throw new Error(`the score endpoint answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    return score;
  }

  /**
   * The line item of an exercise's link in the course's container: the one with this exercise
   * and resource link when there is one (another student's first grade made it), else a new one.
   * It is kept for the student's later grades.
   */
  private async makeLineItem(platform: Platform, link: { user_id: string; lineitems: string | null; resource_link_id: string | null }, exercise: string, scoreMaximum: number): Promise<string> {
    if (!link.lineitems) throw new Error('the launch named neither a line item nor a line items container');
    const token = await this.accessToken(platform, [SCORE_SCOPE, LINEITEM_SCOPE]);
    const container = new URL(link.lineitems);
    container.searchParams.set('resource_id', exercise);
    if (link.resource_link_id) container.searchParams.set('resource_link_id', link.resource_link_id);
    const listed = await fetch(container, { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json' }, signal: AbortSignal.timeout(15_000) });
    if (!listed.ok) throw new Error(`the line items endpoint answered ${listed.status}: ${(await listed.text()).slice(0, 200)}`);
    const items = (await listed.json()) as { id?: unknown; resourceId?: unknown; resourceLinkId?: unknown }[];
    let id = items.find((i) => i.resourceId === exercise && (!link.resource_link_id || i.resourceLinkId === link.resource_link_id))?.id;
    if (typeof id !== 'string') {
      const made = await fetch(link.lineitems, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json', accept: 'application/vnd.ims.lis.v2.lineitem+json' },
        body: JSON.stringify({ scoreMaximum, label: exercise, resourceId: exercise, ...(link.resource_link_id ? { resourceLinkId: link.resource_link_id } : {}) }),
        signal: AbortSignal.timeout(15_000),
      });
      if (!made.ok) throw new Error(`making the line item answered ${made.status}: ${(await made.text()).slice(0, 200)}`);
      id = ((await made.json()) as { id?: unknown }).id;
      if (typeof id !== 'string') throw new Error('the platform made a line item but gave no id');
    }
    await this.db.updateTable('lti_grade_links').set({ lineitem: id }).where('user_id', '=', link.user_id).where('exercise_slug', '=', exercise).execute();
    return id;
  }

  /** The grade of an exercise: the best score of the student's Checks, Completed once one passed. */
  private async scoreOf(userId: string, exercise: string, subject: string): Promise<AgsScore> {
    const records = await this.db.selectFrom('check_records').select(['status', 'score', 'max_score']).where('user_id', '=', userId).where('exercise_slug', '=', exercise).execute();
    const ratio = (r: { score: number; max_score: number }) => (r.max_score > 0 ? r.score / r.max_score : 0);
    const best = records.reduce<(typeof records)[number] | undefined>((a, r) => (!a || ratio(r) > ratio(a) || (ratio(r) === ratio(a) && r.status === 'pass') ? r : a), undefined);
    const passed = records.some((r) => r.status === 'pass');
    return {
      userId: subject,
      ...(best && best.max_score > 0 ? { scoreGiven: best.score, scoreMaximum: best.max_score } : {}),
      // AGS: Completed when the student is done; Submitted while they may still improve it.
      activityProgress: passed ? 'Completed' : 'Submitted',
      gradingProgress: 'FullyGraded',
      timestamp: iso(this.now()),
    };
  }

  /** An AGS access token (client_credentials with a signed client assertion), kept until shortly before it expires. */
  private async accessToken(platform: Platform, scopes: readonly string[]): Promise<string> {
    const key = tokenKey(platform, scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.until > this.now()) return cached.token;
    // A key that could not be read (the database away) is read again next time, not cached as a failure.
    this.keys ??= toolKeys(this.db).catch((err: unknown) => {
      this.keys = undefined;
      throw err;
    });
    const { kid, privateKey } = await this.keys;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: TOOL_ALG, kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.tokenAudience ?? platform.tokenUrl)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor(this.now() / 1000) + 300)
      .setJti(randomUUID())
      .sign(privateKey);
    const res = await fetch(platform.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope: scopes.join(' '),
      }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`the token endpoint answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') throw new Error('the token endpoint answered without an access_token');
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3600_000;
    this.tokens.set(key, { token: body.access_token, until: this.now() + lifetime - TOKEN_MARGIN_MS });
    return body.access_token;
  }
}

const tokenKey = (p: Platform, scopes: readonly string[]) => `${p.issuer} ${p.clientId} ${scopes.join(' ')}`;

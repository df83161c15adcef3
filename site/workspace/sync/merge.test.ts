import { describe, expect, it } from 'vitest';
import { emptyProgress, type Progress } from '../progress/store.ts';
import { laterProgress, MAX_SYNCED_VISITS, mergeProgress, progressDocument, resolveDrafts, sameSynced } from './merge.ts';

const passed = (at: string, score = 3) => ({ status: 'passed' as const, score, maxScore: 3, at });
const tried = (at: string, score = 1) => ({ status: 'attempted' as const, score, maxScore: 3, at });
const T1 = '2026-12-01T09:00:00.000Z';
const T2 = '2026-12-01T10:00:00.000Z';
const T3 = '2026-12-01T11:00:00.000Z';

const withExercises = (exercises: Progress['exercises'], visited: Progress['visited'] = {}): Progress => ({ ...emptyProgress(), exercises, visited });

describe('merging progress', () => {
  it('never takes a pass back: a later failed attempt from another device loses to it', () => {
    expect(laterProgress(passed(T1), tried(T3))).toEqual(passed(T1));
    expect(laterProgress(tried(T3), passed(T1))).toEqual(passed(T1));
    const local = withExercises({ a: passed(T1) });
    const merged = mergeProgress(local, { version: 1, exercises: { a: tried(T3) }, visited: {} });
    expect(merged.exercises.a).toEqual(passed(T1));
  });

  it('between two passes or two attempts keeps the later one, and the module either knew', () => {
    expect(laterProgress(tried(T1, 0), tried(T2, 2))).toEqual(tried(T2, 2));
    expect(laterProgress({ ...passed(T1), module: 'images' }, passed(T2, 2))).toEqual({ ...passed(T2, 2), module: 'images' });
  });

  it('takes what only the server has and keeps what only this browser has, hints and last lesson included', () => {
    const local: Progress = {
      ...withExercises({ mine: tried(T1) }, { '/a/': T1 }),
      hints: { mine: 2 },
      lastLesson: { path: '/a/', title: 'A', module: 'a', at: T1 },
    };
    const merged = mergeProgress(local, { version: 1, exercises: { theirs: passed(T2) }, visited: { '/a/': T2, '/b/': T1 } });
    expect(merged.exercises).toEqual({ mine: tried(T1), theirs: passed(T2) });
    expect(merged.visited).toEqual({ '/a/': T2, '/b/': T1 });
    expect(merged.hints).toEqual({ mine: 2 });
    expect(merged.lastLesson?.path).toBe('/a/');
    expect(local.exercises).toEqual({ mine: tried(T1) });
  });

  it('keeps the latest lesson visits within what the server takes', () => {
    const visited = (from: number) =>
      Object.fromEntries(Array.from({ length: MAX_SYNCED_VISITS }, (_, i) => [`/l${from + i}/`, new Date(Date.UTC(2026, 0, 1, 0, from + i)).toISOString()]));
    const merged = mergeProgress(withExercises({}, visited(0)), { version: 1, exercises: {}, visited: visited(100) });
    expect(Object.keys(merged.visited)).toHaveLength(MAX_SYNCED_VISITS);
    expect(merged.visited['/l0/']).toBeUndefined();
    expect(merged.visited[`/l${MAX_SYNCED_VISITS + 99}/`]).toBeDefined();
  });

  it('sends only the part the server keeps, and tells when a merge changed nothing', () => {
    const local: Progress = { ...withExercises({ a: passed(T1) }), hints: { a: 1 } };
    expect(progressDocument(local)).toEqual({ version: 1, exercises: { a: passed(T1) }, visited: {} });
    const same = mergeProgress(local, { version: 1, exercises: { a: passed(T1) }, visited: {} });
    expect(sameSynced(local, same)).toBe(true);
    expect(sameSynced(local, mergeProgress(local, { version: 1, exercises: { b: tried(T1) }, visited: {} }))).toBe(false);
  });
});

describe('resolving drafts', () => {
  const mine = { files: { Dockerfile: 'FROM busybox\n' }, updatedAt: T2 };

  it('sends a draft the server lacks, takes one this device lacks', () => {
    expect(resolveDrafts(mine, undefined)).toEqual({ use: mine, fromServer: false, push: true, other: undefined });
    expect(resolveDrafts(undefined, mine)).toEqual({ use: mine, fromServer: true, push: false, other: undefined });
    expect(resolveDrafts(undefined, undefined)).toEqual({ use: undefined, fromServer: false, push: false, other: undefined });
  });

  it('uses the newer of two different drafts and keeps the other, whichever side it was on', () => {
    const newer = { files: { Dockerfile: 'FROM python:3.13-slim\n' }, updatedAt: T3 };
    expect(resolveDrafts(mine, newer)).toEqual({ use: newer, fromServer: true, push: false, other: mine });
    expect(resolveDrafts(newer, mine)).toEqual({ use: newer, fromServer: false, push: true, other: mine });
  });

  it('keeps this device\'s draft on a tie, and an unreadable time counts as oldest', () => {
    const theirs = { files: { Dockerfile: 'other\n' }, updatedAt: T2 };
    expect(resolveDrafts(mine, theirs)).toMatchObject({ use: mine, push: true, other: theirs });
    const undated = { files: { Dockerfile: 'old\n' }, updatedAt: 'yesterday' };
    expect(resolveDrafts(undated, mine)).toMatchObject({ use: mine, fromServer: true, other: undated });
  });

  it('needs nothing when both hold the same files, whatever their times', () => {
    expect(resolveDrafts(mine, { files: { ...mine.files }, updatedAt: T1 })).toEqual({ use: mine, fromServer: false, push: false, other: undefined });
  });

  it('treats a reset (no changed files) as a draft like any other', () => {
    const reset = { files: {}, updatedAt: T3 };
    expect(resolveDrafts(reset, mine)).toEqual({ use: reset, fromServer: false, push: true, other: mine });
  });
});

import { describe, expect, it } from 'vitest';
import { isDebootstrapPhase } from './base-image.ts';
import { BuildLog, KitBuildError, formatDuration, formatProgress } from './progress.ts';

describe('formatProgress', () => {
  it('numbers steps and shows durations', () => {
    expect(formatProgress({ type: 'start', step: 3, total: 10, subject: 'python:3.11-slim', message: 'building…' }))
      .toBe('[3/10] python:3.11-slim: building…');
    expect(formatProgress({ type: 'done', step: 3, total: 10, subject: 'redis:latest', message: 'built', durationMs: 12_345 }))
      .toBe('[3/10] redis:latest: built (12.3 s)');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(850)).toBe('850 ms');
  });
});

describe('BuildLog', () => {
  it('keeps step lines, the last step and the error', () => {
    const log = new BuildLog(3);
    expect(log.take({ stream: 'Step 1/2 : FROM debian:bookworm-slim\n' })).toBe('Step 1/2: FROM debian:bookworm-slim');
    expect(log.take({ stream: ' ---> abc\n' })).toBeUndefined();
    log.take({ stream: 'Step 2/2 : RUN apt-get install nope\n' });
    log.take({ stream: 'E: Unable to locate package nope\n' });
    log.take({ errorDetail: { message: "The command '/bin/sh -c apt-get install nope' returned a non-zero code: 100" }, error: 'x' });
    expect(log.lastStep).toBe('Step 2/2 : RUN apt-get install nope');
    expect(log.error).toMatch(/non-zero code: 100/);
    expect(log.lastLines()).toEqual([' ---> abc', 'Step 2/2 : RUN apt-get install nope', 'E: Unable to locate package nope']);
    const err = new KitBuildError('redis:latest', log.error!, log.lastStep, log.lastLines());
    expect(err.message).toMatch(/^building redis:latest failed at "Step 2\/2 : RUN apt-get install nope": /);
    expect(err.message).toContain('Unable to locate package nope');
  });
});

describe('isDebootstrapPhase', () => {
  it('keeps phases and drops per-package lines', () => {
    expect(isDebootstrapPhase('I: Retrieving adduser 3.134')).toBe(false);
    expect(isDebootstrapPhase('I: Extracting bash...')).toBe(false);
    expect(isDebootstrapPhase('I: Configuring required packages...')).toBe(true);
    expect(isDebootstrapPhase('I: Base system installed successfully.')).toBe(true);
    expect(isDebootstrapPhase('E: Couldn\'t download packages')).toBe(true);
    expect(isDebootstrapPhase('random')).toBe(false);
  });
});

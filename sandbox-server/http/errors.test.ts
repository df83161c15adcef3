import { describe, expect, it } from 'vitest';
import { CheckRequestError, UnsupportedKindError } from '../checkers/errors.ts';
import { CalibrationError } from '../grading/calibrate.ts';
import { SessionError } from '../sessions/errors.ts';
import { apiErrorOf } from './errors.ts';

describe('apiErrorOf', () => {
  it('gives each session refusal its status and Retry-After', () => {
    const answer = (code: SessionError['code']) => {
      const e = apiErrorOf(new SessionError(code, 'm'))!;
      return [e.status, e.code, e.headers['Retry-After']];
    };
    expect(answer('too_many_sessions')).toEqual([429, 'too_many_sessions', '60']);
    expect(answer('at_capacity')).toEqual([503, 'at_capacity', '30']);
    expect(answer('sandbox_failed')).toEqual([503, 'sandbox_failed', '10']);
    expect(answer('session_not_found')).toEqual([404, 'session_not_found', undefined]);
    expect(answer('unauthorized')).toEqual([401, 'unauthorized', undefined]);
    expect(answer('keep_quota_reached')).toEqual([409, 'keep_quota_reached', undefined]);
  });

  it('maps refused checks, unsupported kinds and a failed calibration', () => {
    expect(apiErrorOf(new CheckRequestError('run_not_supported', 'no'))).toMatchObject({ status: 400, code: 'run_not_supported' });
    expect(apiErrorOf(new UnsupportedKindError('vm'))).toMatchObject({ status: 501, code: 'kind_not_supported' });
    const calibration = apiErrorOf(new CalibrationError('the reference solution failed'))!;
    expect([calibration.status, calibration.code, calibration.message, calibration.headers['Retry-After']]).toEqual([
      503,
      'check_failed',
      'Not grading: the reference solution failed.',
      '5',
    ]);
    expect(apiErrorOf(new Error('boom'))).toBeUndefined();
  });
});

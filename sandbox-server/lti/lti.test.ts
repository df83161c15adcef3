import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roleOf } from './claims.ts';
import { scoresUrl } from './grades.ts';
import { findPlatform, loadPlatforms, type Platform } from './platforms.ts';
import { landingPath } from '../http/lti.ts';

const canvas: Platform = {
  issuer: 'https://canvas.instructure.com',
  clientId: '10000000000001',
  deploymentIds: ['1:abc'],
  authLoginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
  jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
};

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dockyard-lti-')), 'platforms.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('LTI platform registrations', () => {
  it('reads a valid file', () => {
    expect(loadPlatforms(file({ platforms: [canvas] }))).toEqual([canvas]);
  });

  it('names the file and the field that is wrong', () => {
    const bad = file({ platforms: [{ ...canvas, jwksUrl: 'not a url', deploymentIds: [] }] });
    expect(() => loadPlatforms(bad)).toThrow(new RegExp(`LTI platforms file ${bad}: .*platforms\\.0\\.deploymentIds.*platforms\\.0\\.jwksUrl`));
    expect(() => loadPlatforms(file({ platforms: [{ ...canvas, clientSecret: 'x' }] }))).toThrow(/platforms\.0: .*clientSecret/);
    expect(() => loadPlatforms(file({ platforms: [canvas, canvas] }))).toThrow(/platforms\.1\.clientId: .*registered twice/);
    expect(() => loadPlatforms(file('{ not json'))).toThrow(/LTI platforms file .*platforms\.json: .*JSON/);
  });

  it('finds a registration by issuer, and by client ID where the issuer has several', () => {
    const other = { ...canvas, clientId: '2' };
    expect(findPlatform([canvas], canvas.issuer)).toBe(canvas);
    expect(findPlatform([canvas, other], canvas.issuer)).toBeUndefined();
    expect(findPlatform([canvas, other], canvas.issuer, '2')).toBe(other);
    expect(findPlatform([canvas], 'https://elsewhere.example')).toBeUndefined();
  });
});

describe('LTI launches and grades', () => {
  it("maps a course's roles onto Dockyard's: instructors (and teaching assistants) and learners, nothing from institution roles", () => {
    expect(roleOf(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'])).toBe('instructor');
    expect(roleOf(['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'])).toBe('instructor');
    expect(roleOf(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student'])).toBe('student');
    expect(roleOf(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor', 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'])).toBe('student');
    expect(roleOf(['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'])).toBeUndefined();
    expect(roleOf([])).toBeUndefined();
  });

  it('lands on a page of this site only', () => {
    const origin = 'https://dockyard.school.example';
    expect(landingPath(`${origin}/modules/a/?x=1#top`, origin)).toBe('/modules/a/?x=1#top');
    expect(landingPath('/modules/a/', origin)).toBe('/modules/a/');
    for (const away of ['https://evil.example/', '//evil.example/', `${origin}/api/auth/sign-out`, `${origin}/lti/launch`, 'javascript:alert(1)', undefined]) {
      expect(landingPath(away, origin)).toBe('/');
    }
  });

  it("puts /scores on a line item's path, keeping its query", () => {
    expect(scoresUrl('https://lms.example/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1')).toBe('https://lms.example/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=1');
    expect(scoresUrl('https://canvas.example/api/lti/courses/1/line_items/5')).toBe('https://canvas.example/api/lti/courses/1/line_items/5/scores');
  });
});

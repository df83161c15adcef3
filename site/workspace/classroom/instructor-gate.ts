import type { Viewer } from '../../../sandbox-server/contract/classroom.ts';
import { whoIsSignedIn } from './api.ts';
import { say } from './dom.ts';

/** The signed-in instructor, or null after saying in `status` why this page shows nothing. */
export async function signedInInstructor(status: HTMLElement): Promise<Viewer | null> {
  const viewer = await whoIsSignedIn();
  if (!viewer) {
    say(status, 'This page is for instructors. Sign in with your one-time link: the person running Dockyard makes one with npm run instructor:new.');
    return null;
  }
  if (viewer.role !== 'instructor') {
    say(status, `You are signed in as ${viewer.displayName}, a student: this page is for instructors.`, 'error');
    return null;
  }
  return viewer;
}

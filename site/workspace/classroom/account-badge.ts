import type { Viewer } from '../../../sandbox-server/contract/classroom.ts';
import { viewerLine, whoIsSignedIn } from './api.ts';
import { ACCOUNT_EVENT } from './signed-in-view.ts';

/** The header's "Signed in as … in class …" links, shown only while someone is signed in. */
export function mountAccountBadge(links: readonly HTMLAnchorElement[]): void {
  if (links.length === 0) return;
  const draw = (viewer: Viewer | null) => {
    for (const link of links) {
      link.hidden = !viewer;
      if (!viewer) continue;
      link.textContent = `Signed in as ${viewerLine(viewer)}`;
      link.href = viewer.role === 'instructor' ? '/instructor/' : '/account/';
    }
  };
  window.addEventListener(ACCOUNT_EVENT, (e) => draw((e as CustomEvent<Viewer | null>).detail));
  void whoIsSignedIn().then(draw);
}

import { signedInStudent } from '../account/viewer.ts';
import { markDraftPushed, type DebouncedSaver, type DraftStore } from '../drafts.ts';
import { resolveDrafts } from './merge.ts';
import { DRAFT_REPLACED_EVENT } from './page-sync.ts';
import { fetchDraft, pushDraft } from './server-copy.ts';

/** What the first sync of an exercise's draft did. */
export type DraftSyncOutcome = 'local' | 'same' | 'replaced' | 'pushed' | 'offline';

/**
 * Compares this device's draft of the exercise with the server's, for a signed-in student:
 * the later one is used (stored here, or sent there) and a different other one is kept on
 * this device (`drafts.other()`). Nothing is thrown: offline, the local draft simply stays.
 */
export async function syncExerciseDraft(drafts: DraftStore, saver?: Pick<DebouncedSaver, 'flush'>): Promise<DraftSyncOutcome> {
  if (!(await signedInStudent())) return 'local';
  try {
    const local = drafts.document();
    const remote = await fetchDraft(drafts.slug);
    // The student may have typed while the answer was on its way: compare with what is stored now.
    saver?.flush();
    const now = drafts.document() ?? local;
    const { use, fromServer, push, other } = resolveDrafts(now, remote);
    if (other) drafts.keepOther(other);
    if (fromServer && use) {
      drafts.replace(use);
      markDraftPushed(drafts.store, drafts.slug, use.updatedAt);
      window.dispatchEvent(new CustomEvent(DRAFT_REPLACED_EVENT, { detail: drafts.slug }));
      return 'replaced';
    }
    if (push && use) {
      const kept = await pushDraft(drafts.slug, use);
      if (kept.updatedAt === use.updatedAt) markDraftPushed(drafts.store, drafts.slug, use.updatedAt);
      return 'pushed';
    }
    return 'same';
  } catch {
    return 'offline';
  }
}

import { describe, expect, it } from 'vitest';
import { memoryStore as storage } from '../../../tests/support/memory-store.ts';
import { claimStores, OWNER_KEY, releaseStores } from './owner.ts';

const adaWork = { 'dockyard:progress:v1': '{"ada":1}', 'dockyard:draft:gather:main.py': 'print("ada")', 'dockyard:session:docker:m1': 'tok-ada' };

describe('whose work the browser holds', () => {
  it("gives work done signed out to the student who signs in, and then it is theirs", () => {
    const s = storage({ ...adaWork, 'dockyard:layout:split': '0.5' });
    expect(claimStores(s, 'ada')).toBe('adopted');
    expect(s.all()).toEqual({ ...adaWork, 'dockyard:layout:split': '0.5', [OWNER_KEY]: 'ada' });
    expect(claimStores(s, 'ada')).toBe('own');
  });

  it("never hands one student's work to the next who signs in on the same browser, and gives it back to them later", () => {
    const s = storage({ ...adaWork, 'dockyard:layout:split': '0.5', [OWNER_KEY]: 'ada' });
    expect(claimStores(s, 'bob')).toBe('switched');
    // Bob starts empty: nothing of Ada's is in the stores he is synced from; the device's layout stays.
    expect(Object.keys(s.all()).filter((k) => !k.startsWith('dockyard:stash:')).sort()).toEqual(['dockyard:layout:split', OWNER_KEY]);
    s.setItem('dockyard:draft:gather:main.py', 'print("bob")');
    expect(claimStores(s, 'ada')).toBe('switched');
    expect(s.getItem('dockyard:draft:gather:main.py')).toBe('print("ada")');
    expect(s.getItem('dockyard:session:docker:m1')).toBe('tok-ada');
    expect(claimStores(s, 'bob')).toBe('switched');
    expect(s.getItem('dockyard:draft:gather:main.py')).toBe('print("bob")');
    expect(s.getItem('dockyard:progress:v1')).toBeNull();
  });

  it('leaves nothing of a student behind after signing out once the server has it all', () => {
    const s = storage({ ...adaWork, 'dockyard:layout:split': '0.5', [OWNER_KEY]: 'ada' });
    releaseStores(s, true);
    expect(s.all()).toEqual({ 'dockyard:layout:split': '0.5' });
  });

  it('puts aside what the server could not take at sign-out, and gives it back at the next sign-in here, keeping newer work too', () => {
    const s = storage({ ...adaWork, [OWNER_KEY]: 'ada' });
    releaseStores(s, false);
    expect(Object.keys(s.all())).toEqual(['dockyard:stash:ada']);
    // Someone works signed out meanwhile, on the same exercise.
    s.setItem('dockyard:draft:gather:main.py', 'print("signed out")');
    expect(claimStores(s, 'ada')).toBe('adopted');
    expect(s.getItem('dockyard:progress:v1')).toBe('{"ada":1}');
    expect(s.getItem('dockyard:draft:gather:main.py')).toBe('print("signed out")');
    // The put-aside copy of the clashing draft is still kept, not dropped.
    expect(JSON.parse(s.getItem('dockyard:stash:ada')!)).toEqual({ 'dockyard:draft:gather:main.py': 'print("ada")' });
  });

  it("keeps the work, still its student's, when the storage is too full to put it aside; nobody else is synced from it", () => {
    const s = storage({ ...adaWork, [OWNER_KEY]: 'ada' });
    const set = s.setItem;
    s.setItem = (k, v) => {
      if (k.startsWith('dockyard:stash:')) throw new DOMException('full', 'QuotaExceededError');
      set(k, v);
    };
    releaseStores(s, false);
    expect(s.getItem('dockyard:draft:gather:main.py')).toBe('print("ada")');
    expect(s.getItem(OWNER_KEY)).toBe('ada');
    expect(claimStores(s, 'bob')).toBe('blocked');
    expect(s.getItem(OWNER_KEY)).toBe('ada');
  });
});

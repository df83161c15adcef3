import { describe, expect, it } from 'vitest';
import { markerLabels, parseMarker, type SessionMarker } from './markers.ts';

const marker: SessionMarker = {
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  tokenHash: 'f'.repeat(64),
  kind: 'docker',
  sandboxId: '0123456789abcdef',
  containerId: 'c'.repeat(64),
  clientKey: 'k1',
  createdAt: 1_700_000_000_000,
  expiresAt: 1_700_007_200_000,
};

describe('session markers', () => {
  it('round-trip through labels', () => {
    const labels = markerLabels(marker);
    expect(labels['dockyard.managed']).toBe('true');
    expect(labels['dockyard.role']).toBe('session');
    expect(parseMarker(labels)).toEqual(marker);
    const owned = { ...marker, owner: 'host/123' };
    expect(markerLabels(owned)['dockyard.owner']).toBe('host/123');
    expect(parseMarker(markerLabels(owned))).toEqual(owned);
  });

  it('reject labels with a missing or malformed field', () => {
    const labels = markerLabels(marker);
    expect(parseMarker({ ...labels, 'dockyard.session.kind': 'vm' })).toBeUndefined();
    expect(parseMarker({ ...labels, 'dockyard.session.expiresAt': 'soon' })).toBeUndefined();
    const { ['dockyard.session.tokenHash']: _, ...withoutToken } = labels;
    expect(parseMarker(withoutToken)).toBeUndefined();
    expect(parseMarker(null)).toBeUndefined();
  });
});

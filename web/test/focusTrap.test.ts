import { describe, expect, it } from 'vitest';
import { trappedFocusIndex } from '../src/ui/focusTrap';

describe('focus trap', () => {
  it('TrappedFocusIndex_Should_WrapAtBothEnds_When_TabbingInsideADialog', () => {
    expect(trappedFocusIndex(3, 0, false)).toBe(1);
    expect(trappedFocusIndex(3, 2, false)).toBe(0);
    expect(trappedFocusIndex(3, 0, true)).toBe(2);
    expect(trappedFocusIndex(3, 1, true)).toBe(0);
  });

  it('TrappedFocusIndex_Should_EnterAtTheNearEnd_When_FocusIsOutside', () => {
    expect(trappedFocusIndex(4, -1, false)).toBe(0);
    expect(trappedFocusIndex(4, -1, true)).toBe(3);
    expect(trappedFocusIndex(0, -1, false)).toBeNull();
    expect(trappedFocusIndex(1, 0, false)).toBe(0);
  });
});

import { useEffect, type RefObject } from 'react';

/**
 * Where Tab goes inside a dialog with `count` focusable elements when focus is at `current` (-1: outside them):
 * forward past the last wraps to the first, backward before the first wraps to the last. Null when there is nothing to focus.
 */
export function trappedFocusIndex(count: number, current: number, backward: boolean): number | null {
  if (count === 0) return null;
  if (current < 0) return backward ? count - 1 : 0;
  if (backward) return current === 0 ? count - 1 : current - 1;
  return current === count - 1 ? 0 : current + 1;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * While `active`: Tab and Shift+Tab cycle inside `container`, Escape calls `onClose`, and focus moves into the container;
 * when it ends, focus goes back to what had it before (the button that opened the dialog).
 */
export function useFocusTrap(container: RefObject<HTMLElement | null>, active: boolean, onClose: () => void) {
  useEffect(() => {
    if (!active) return;
    const opener = document.activeElement as HTMLElement | null;
    const focusables = () => [...(container.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    (container.current?.querySelector<HTMLElement>('[data-autofocus]') ?? focusables()[0] ?? container.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
        return;
      }
      if (e.key !== 'Tab') return;
      const elements = focusables();
      const next = trappedFocusIndex(elements.length, elements.indexOf(document.activeElement as HTMLElement), e.shiftKey);
      e.preventDefault();
      if (next !== null) elements[next].focus();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
    // onClose changes identity each render; the trap is set up once per opening.
  }, [active]);
}

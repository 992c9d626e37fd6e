type Timer = ReturnType<typeof setTimeout>;

export interface Debounced {
  (): void;
  cancel(): void;
}

/**
 * Runs `run` once events stop arriving for `quietMs`, and at least every `maxWaitMs` while they keep arriving: a burst
 * of stock events (one checkout reserves several products, then settles them) becomes one refresh, and the saga's
 * other writes (the order's status, the payment) have landed by the time it runs.
 */
export function debounce(run: () => void, quietMs: number, maxWaitMs: number, setTimer = setTimeout, clearTimer = clearTimeout): Debounced {
  let quiet: Timer | undefined;
  let max: Timer | undefined;
  const fire = () => {
    if (quiet !== undefined) clearTimer(quiet);
    if (max !== undefined) clearTimer(max);
    quiet = max = undefined;
    run();
  };
  const debounced = () => {
    if (quiet !== undefined) clearTimer(quiet);
    quiet = setTimer(fire, quietMs);
    max ??= setTimer(fire, maxWaitMs);
  };
  debounced.cancel = () => {
    if (quiet !== undefined) clearTimer(quiet);
    if (max !== undefined) clearTimer(max);
    quiet = max = undefined;
  };
  return debounced;
}

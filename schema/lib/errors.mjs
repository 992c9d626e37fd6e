/** A check that ran and found a problem: the CLI prints the message and exits 1. */
export class CheckFailure extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** The command could not run as asked (bad arguments, unknown ref, unreadable config): exit 2. */
export class UsageError extends Error {
  constructor(message, { showUsage = false } = {}) {
    super(message);
    this.name = 'UsageError';
    this.showUsage = showUsage;
  }
}

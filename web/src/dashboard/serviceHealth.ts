import type { ErrorLike } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { failedAt } from '../ui/partialData';

/** The subgraphs `platform` has a field for, in the order the panel lists them. */
export const SUBGRAPHS = ['accounts', 'catalog', 'inventory', 'orders', 'payments', 'reviews', 'notifications', 'alerting'] as const;
export type Subgraph = (typeof SUBGRAPHS)[number];

/** Total lag above which a consumer counts as lagging (the health check itself turns DEGRADED at 10,000). */
export const LAG_WARNING = 100;
/** An unsent outbox event older than this is stuck (the OutboxStale alert fires at 60 s for 2 minutes). */
export const OUTBOX_STALE_SECONDS = 60;

export interface HealthFields {
  status: string;
  checks: readonly { name: string; status: string; description?: string | null }[];
  messaging?: {
    totalLag: number;
    outbox?: { pending: number; oldestAgeSeconds: number } | null;
    deadLetters: readonly { count: number }[];
  } | null;
}

export type Verdict = 'ok' | 'warning' | 'down';

export interface ServiceRow<T extends HealthFields> {
  name: Subgraph;
  health: T | null;
  /** Why the gateway got no answer from the subgraph, when it did not. */
  unavailable: string | null;
  verdict: Verdict;
  problems: string[];
}

/**
 * One row per subgraph. A subgraph that did not answer has a null field and a gateway error naming it in
 * `extensions.serviceName`; a null without such an error (a field the gateway never asked for) is not called down.
 */
export function serviceRows<T extends HealthFields>(platform: Partial<Record<Subgraph, T | null>> | null | undefined, error: ErrorLike | undefined): ServiceRow<T>[] {
  return SUBGRAPHS.map((name) => {
    const health = platform?.[name] ?? null;
    if (!health) {
      const reason = failedAt(error, name, ['platform', name]) ? errorFor(error, name) : null;
      return { name, health: null, unavailable: reason, verdict: reason ? 'down' : 'warning', problems: reason ? [reason] : ['No answer.'] };
    }
    const problems = problemsOf(health);
    const verdict: Verdict = health.status === 'UNHEALTHY' ? 'down' : problems.length > 0 ? 'warning' : 'ok';
    return { name, health, unavailable: null, verdict, problems };
  });
}

function problemsOf(health: HealthFields): string[] {
  const problems = health.checks
    .filter((c) => c.status !== 'HEALTHY')
    .map((c) => `${c.name}: ${c.status.toLowerCase()}${c.description ? ` (${c.description})` : ''}`);
  const messaging = health.messaging;
  if (!messaging) return problems;
  if (messaging.totalLag > LAG_WARNING) problems.push(`Consumer lag ${messaging.totalLag}.`);
  if (messaging.outbox && messaging.outbox.oldestAgeSeconds > OUTBOX_STALE_SECONDS)
    problems.push(`Outbox: oldest unsent event is ${formatAge(messaging.outbox.oldestAgeSeconds)} old.`);
  if (messaging.outbox === null) problems.push('Outbox could not be read.');
  const deadLettered = messaging.deadLetters.reduce((sum, d) => sum + d.count, 0);
  if (deadLettered > 0) problems.push(`${deadLettered} dead-lettered event${deadLettered === 1 ? '' : 's'}.`);
  return problems;
}

function errorFor(error: ErrorLike | undefined, service: string): string {
  const found = CombinedGraphQLErrors.is(error) ? error.errors.find((e) => e.extensions?.serviceName === service) : undefined;
  return found?.message ?? 'Unavailable.';
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import type { ServiceHealthFieldsFragment } from '../__generated__/graphql';
import { formatDateTime } from '../format/format';
import { ErrorBanner, Loading } from '../ui/States';
import { formatAge, serviceRows } from './serviceHealth';

// Each subgraph answers its own field, so one that is down blanks only its row (its error names it).
const ServiceHealthQuery = graphql(`
  query DashboardServiceHealth {
    platform {
      accounts { ...ServiceHealthFields }
      catalog { ...ServiceHealthFields }
      inventory { ...ServiceHealthFields }
      orders { ...ServiceHealthFields }
      payments { ...ServiceHealthFields }
      reviews { ...ServiceHealthFields }
      notifications { ...ServiceHealthFields }
      alerting { ...ServiceHealthFields }
    }
  }

  fragment ServiceHealthFields on ServiceHealth {
    service instance startedAt status
    checks { name status description }
    messaging {
      consumerGroup totalLag
      outbox { pending oldestAgeSeconds oldestLastError }
      consumerLag { topic partition lag }
      deadLetters { topic deadLetterTopic count lastAt lastError }
    }
  }
`);

const VERDICT_LABELS = { ok: 'OK', warning: 'Attention', down: 'Down' } as const;

export function ServiceHealthPanel({ pollInterval }: { pollInterval: number }) {
  const { data, loading, error, refetch } = useQuery(ServiceHealthQuery, { pollInterval });
  if (loading && !data) return <Loading what="service health" />;
  const rows = serviceRows<ServiceHealthFieldsFragment>(data?.platform, error);
  return (
    <div className="panel">
      <h2>Service health</h2>
      {!data?.platform && <ErrorBanner error={error} onRetry={() => void refetch()} />}
      {data?.platform && (
        <table data-testid="service-health" tabIndex={0} aria-label="Service health">
          <thead>
            <tr><th>Subgraph</th><th>Status</th><th>Outbox</th><th>Consumer lag</th><th>Dead letters</th></tr>
          </thead>
          <tbody>
            {rows.map(({ name, health, verdict, problems }) => (
              <tr key={name} data-service={name} data-verdict={verdict} className={`health ${verdict}`}>
                <td>
                  <strong>{name}</strong>
                  {health && <div className="muted">{health.instance} · up since {formatDateTime(health.startedAt)}</div>}
                </td>
                <td>
                  <span className="verdict">{VERDICT_LABELS[verdict]}</span>
                  {problems.length > 0 && <ul className="problems">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
                </td>
                <td>{health ? <Outbox health={health} /> : '–'}</td>
                <td>{health ? <Lag health={health} /> : '–'}</td>
                <td>{health ? <DeadLetters health={health} /> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Outbox({ health }: { health: ServiceHealthFieldsFragment }) {
  const outbox = health.messaging?.outbox;
  if (!health.messaging) return <span className="muted">no events</span>;
  if (!outbox) return <span className="muted">unreadable</span>;
  if (outbox.pending === 0) return <span data-testid="outbox">drained</span>;
  return (
    <span data-testid="outbox" title={outbox.oldestLastError ?? undefined}>
      {outbox.pending} pending · oldest {formatAge(outbox.oldestAgeSeconds)}
    </span>
  );
}

function Lag({ health }: { health: ServiceHealthFieldsFragment }) {
  const messaging = health.messaging;
  if (!messaging) return <span className="muted">no events</span>;
  const behind = messaging.consumerLag.filter((p) => p.lag > 0);
  return (
    <span data-testid="lag" title={`group ${messaging.consumerGroup}`}>
      {messaging.totalLag}
      {behind.length > 0 && <ul>{behind.map((p) => <li key={`${p.topic}[${p.partition}]`}>{p.topic}[{p.partition}]: {p.lag}</li>)}</ul>}
    </span>
  );
}

function DeadLetters({ health }: { health: ServiceHealthFieldsFragment }) {
  const deadLetters = health.messaging?.deadLetters ?? [];
  if (!health.messaging) return <span className="muted">no events</span>;
  if (deadLetters.length === 0) return <span data-testid="dead-letters">0</span>;
  return (
    <ul data-testid="dead-letters">
      {deadLetters.map((d) => (
        <li key={d.topic} title={d.lastError ?? undefined}>{d.count} from {d.topic} → {d.deadLetterTopic}, last {formatDateTime(d.lastAt)}</li>
      ))}
    </ul>
  );
}

import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { formatDateTime, formatEnum } from '../format/format';
import { useFallbackPolling, useLiveSubscription } from '../ui/Live';
import { Empty, ErrorBanner, Loading, UserErrors } from '../ui/States';
import { withAlert } from './alerts';

export const ALERTS_SHOWN = 20;

const AlertsQuery = graphql(`
  query DashboardAlerts($first: Int!) {
    alerts(first: $first) { ...AlertFields }
  }

  fragment AlertFields on Alert {
    id ruleId subject severity status summary value threshold raisedAt acknowledgedAt acknowledgedBy resolvedAt
  }
`);

// Every change of every alert (raised, acknowledged, resolved): changes land on the cached alert, new ones are added
// to the list, so the panel never asks the gateway again while the socket is up.
const AlertUpdatedSubscription = graphql(`
  subscription DashboardAlertUpdated {
    alertUpdated { ...AlertFields }
  }
`);

const AcknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      alert { ...AlertFields }
      errors { code message field }
    }
  }
`);

export function AlertsPanel({ refreshMs }: { refreshMs: number }) {
  const live = useLiveSubscription(AlertUpdatedSubscription, {
    onData: ({ client, data }) => {
      const alert = data.data?.alertUpdated;
      if (!alert) return;
      client.cache.updateQuery({ query: AlertsQuery, variables: { first: ALERTS_SHOWN } }, (cached) =>
        cached ? { ...cached, alerts: withAlert(cached.alerts, alert, ALERTS_SHOWN) } : cached);
    },
  });
  const pollInterval = useFallbackPolling(refreshMs, live.error);
  const { data, loading, error, refetch } = useQuery(AlertsQuery, { variables: { first: ALERTS_SHOWN }, pollInterval });
  const [acknowledge, acknowledgeState] = useMutation(AcknowledgeAlertMutation);
  if (loading && !data) return <Loading what="alerts" />;
  const alerts = data?.alerts;
  const unresolved = alerts?.filter((a) => a.status !== 'RESOLVED').length ?? 0;
  return (
    <div className="panel alerts">
      <h2>Alerts {unresolved > 0 && <span className="badge" data-testid="alerts-unresolved">{unresolved} unresolved</span>}</h2>
      <ErrorBanner error={error ?? acknowledgeState.error} onRetry={() => void refetch()} />
      <UserErrors errors={acknowledgeState.data?.acknowledgeAlert.errors} />
      {alerts?.length === 0 && <Empty>No alerts.</Empty>}
      {alerts && alerts.length > 0 && (
        <table data-testid="alerts" tabIndex={0} aria-label="Alerts">
          <thead><tr><th>Severity</th><th>Alert</th><th>Raised</th><th>Status</th><th /></tr></thead>
          <tbody>
            {alerts.map((alert) => (
              <tr key={alert.id} data-testid="alert" data-alert-id={alert.id} data-rule={alert.ruleId} data-status={alert.status}
                className={`alert ${alert.severity.toLowerCase()} ${alert.status.toLowerCase()}`}>
                <td className="severity">{formatEnum(alert.severity)}</td>
                <td>{alert.summary}<div className="muted">{alert.ruleId} · {alert.subject}</div></td>
                <td>{formatDateTime(alert.raisedAt)}</td>
                <td data-testid="alert-status">
                  {formatEnum(alert.status)}
                  {alert.acknowledgedAt && <div className="muted">acknowledged {formatDateTime(alert.acknowledgedAt)}{alert.acknowledgedBy && ` by user ${alert.acknowledgedBy}`}</div>}
                  {alert.resolvedAt && <div className="muted">resolved {formatDateTime(alert.resolvedAt)}</div>}
                </td>
                <td>
                  {alert.status === 'OPEN' && (
                    <button disabled={acknowledgeState.loading} onClick={() => void acknowledge({ variables: { id: alert.id } })}>Acknowledge</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

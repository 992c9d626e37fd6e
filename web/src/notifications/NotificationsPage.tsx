import { useMutation, useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { useSession } from '../account/SessionContext';
import { formatDateTime, formatEnum } from '../format/format';
import { LiveNotice, useFallbackPolling, useLiveSubscription } from '../ui/Live';
import { Empty, ErrorBanner, Loading, Unavailable, UserErrors } from '../ui/States';

export const NOTIFICATIONS_POLL_MS = 5000;

const NotificationsQuery = graphql(`
  query MyNotifications($userId: ID!, $after: String) {
    user(id: $userId) {
      id
      unreadNotificationCount
      notifications(first: 20, after: $after) {
        totalCount
        edges { cursor node { id kind message read createdAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

// The user's count comes with each event: writing it to the cached user updates the badge and the list page's header.
export const NotificationAddedSubscription = graphql(`
  subscription NotificationAdded {
    notificationAdded { id kind message read createdAt user { id unreadNotificationCount } }
  }
`);

const MarkReadMutation = graphql(`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      notification { id read readAt user { id unreadNotificationCount } }
      errors { code message field }
    }
  }
`);

export function NotificationsPage() {
  const { session } = useSession();
  // A new notification goes on top of the first page: the list is read again when one arrives.
  const live = useLiveSubscription(NotificationAddedSubscription, { skip: !session, onData: () => void refetch() });
  const pollInterval = useFallbackPolling(NOTIFICATIONS_POLL_MS, live.error);
  const { data, loading, error, fetchMore, refetch } = useQuery(NotificationsQuery, {
    variables: { userId: session?.userId ?? '' },
    skip: !session,
    pollInterval,
  });
  const [markRead, markState] = useMutation(MarkReadMutation);
  const notifications = data?.user?.notifications;
  return (
    <section>
      <h1>Notifications</h1>
      <LiveNotice intervalMs={NOTIFICATIONS_POLL_MS} error={live.error} />
      <ErrorBanner error={error ?? markState.error} onRetry={() => void refetch()} />
      <UserErrors errors={markState.data?.markNotificationRead.errors} />
      {loading && !notifications && <Loading what="notifications" />}
      {data?.user && !notifications && <p><Unavailable what="Notifications" /></p>}
      {notifications?.edges.length === 0 && <Empty>No notifications yet.</Empty>}
      <ul className="notifications">
        {notifications?.edges.map(({ node }) => (
          <li key={node.id} data-testid="notification" data-kind={node.kind} className={node.read ? 'read' : 'unread'}>
            <strong>{formatEnum(node.kind)}</strong> {node.message}
            <span className="muted"> · {formatDateTime(node.createdAt)}</span>
            {!node.read && <button className="link" onClick={() => void markRead({ variables: { id: node.id } })}>Mark read</button>}
          </li>
        ))}
      </ul>
      {notifications?.pageInfo.hasNextPage && (
        <button disabled={loading} onClick={() => void fetchMore({ variables: { after: notifications.pageInfo.endCursor } })}>Load more</button>
      )}
    </section>
  );
}

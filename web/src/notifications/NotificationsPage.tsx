import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../__generated__';
import { useSession } from '../account/SessionContext';
import { formatDateTime, formatEnum } from '../format/format';
import { LiveNotice, useFallbackPolling, useLiveSubscription } from '../ui/Live';
import { Empty, ErrorBanner, Loading, Unavailable, UserErrors } from '../ui/States';
import { usePageTitle } from '../ui/title';

export const NOTIFICATIONS_POLL_MS = 5000;

const NotificationsQuery = graphql(`
  query MyNotifications($userId: ID!, $after: String) {
    user(id: $userId) {
      id
      unreadNotificationCount
      notifications(first: 20, after: $after) {
        totalCount
        edges { cursor node { id kind message read createdAt orderId } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

// The user's count comes with each event: writing it to the cached user updates the badge and the list page's header.
export const NotificationAddedSubscription = graphql(`
  subscription NotificationAdded {
    notificationAdded { id kind message read createdAt orderId user { id unreadNotificationCount } }
  }
`);

const MarkAllReadMutation = graphql(`
  mutation MarkAllNotificationsRead {
    markAllNotificationsRead { markedCount user { id unreadNotificationCount } }
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
  // The list is read again after marking all: every cached notification of the user changed.
  const [markAllRead, markAllState] = useMutation(MarkAllReadMutation, { onCompleted: () => void refetch() });
  const unread = data?.user?.unreadNotificationCount ?? 0;
  const notifications = data?.user?.notifications;
  usePageTitle('Notifications');
  return (
    <section>
      <h1>Notifications</h1>
      <LiveNotice intervalMs={NOTIFICATIONS_POLL_MS} error={live.error} />
      <div className="notifications-toolbar">
        {data?.user && <p data-testid="unread-summary">{unread === 0 ? 'All read.' : `${unread} unread`}</p>}
        {unread > 0 && (
          <button type="button" onClick={() => void markAllRead()} disabled={markAllState.loading}>
            {markAllState.loading ? 'Marking…' : 'Mark all read'}
          </button>
        )}
      </div>
      <ErrorBanner error={error ?? markState.error ?? markAllState.error} onRetry={() => void refetch()} />
      <UserErrors errors={markState.data?.markNotificationRead.errors} />
      {loading && !notifications && <Loading what="notifications" />}
      {data?.user && !notifications && <p><Unavailable what="Notifications" /></p>}
      {notifications?.edges.length === 0 && <Empty>No notifications yet.</Empty>}
      <ul className="notifications">
        {notifications?.edges.map(({ node }) => (
          <li key={node.id} data-testid="notification" data-kind={node.kind} data-read={node.read} className={node.read ? 'read' : 'unread'}>
            {!node.read && <span className="unread-dot">New<span className="sr-only">, unread</span></span>}
            <strong className="title">{formatEnum(node.kind)}</strong> <span className="message">{node.message}</span>
            <span className="muted"> · {formatDateTime(node.createdAt)}</span>
            {node.orderId && <> · <Link to={`/orders/${node.orderId}`}>View order #{node.orderId}</Link></>}
            {!node.read && <> · <button className="link" onClick={() => void markRead({ variables: { id: node.id } })}>Mark read</button></>}
          </li>
        ))}
      </ul>
      {notifications?.pageInfo.hasNextPage && (
        <button disabled={loading} onClick={() => void fetchMore({ variables: { after: notifications.pageInfo.endCursor } })}>Load more</button>
      )}
    </section>
  );
}

import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { NOTIFICATIONS_POLL_MS } from './NotificationsPage';

const UnreadQuery = graphql(`
  query UnreadNotifications($userId: ID!) {
    user(id: $userId) { id unreadNotificationCount }
  }
`);

export function UnreadBadge({ userId }: { userId: string }) {
  const { data } = useQuery(UnreadQuery, { variables: { userId }, pollInterval: NOTIFICATIONS_POLL_MS });
  const count = data?.user?.unreadNotificationCount ?? 0;
  return count > 0 ? <span className="badge" data-testid="unread-count">{count}</span> : null;
}

import { useQuery } from '@apollo/client/react';
import { graphql } from '../__generated__';
import { useFallbackPolling, useLiveSubscription } from '../ui/Live';
import { NOTIFICATIONS_POLL_MS, NotificationAddedSubscription } from './NotificationsPage';

const UnreadQuery = graphql(`
  query UnreadNotifications($userId: ID!) {
    user(id: $userId) { id unreadNotificationCount }
  }
`);

export function UnreadBadge({ userId }: { userId: string }) {
  const live = useLiveSubscription(NotificationAddedSubscription, {});
  const pollInterval = useFallbackPolling(NOTIFICATIONS_POLL_MS, live.error);
  const { data } = useQuery(UnreadQuery, { variables: { userId }, pollInterval });
  const count = data?.user?.unreadNotificationCount ?? 0;
  return count > 0 ? <span className="badge" data-testid="unread-count">{count}</span> : null;
}

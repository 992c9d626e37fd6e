const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatPrice(amount: number): string {
  return usd.format(amount);
}

export function formatRating(rating: number | null | undefined, reviewCount = 0): string {
  if (rating == null) return 'No ratings yet';
  const reviews = `${reviewCount} review${reviewCount === 1 ? '' : 's'}`;
  return `${rating.toFixed(1)} / 5 (${reviews})`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

const STATUS_LABELS: Record<string, string> = {
  PLACED: 'Placed',
  CONFIRMED: 'Confirmed',
  REJECTED: 'Rejected',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CARD: 'Card',
  PAYPAL: 'PayPal',
  BANK_TRANSFER: 'Bank transfer',
  GIFT_CARD: 'Gift card',
};

/** Human label for a GraphQL enum value; unknown values (added by a newer schema) stay readable. */
export function formatEnum(value: string): string {
  return STATUS_LABELS[value] ?? value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** Orders still waiting for the checkout saga are polled; final states are not. */
export function isFinalOrderStatus(status: string): boolean {
  return status === 'CONFIRMED' || status === 'REJECTED';
}

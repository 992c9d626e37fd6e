import { describe, expect, test } from 'vitest';
import { formatDateTime, formatEnum, formatPrice, formatRating, isFinalOrderStatus } from '../src/format/format';

describe('format', () => {
  test('FormatPrice_Should_MatchTheNotificationTexts_When_GivenTheServersTable', () => {
    // arrange: the amounts and texts of tests/Notifications.Tests/MoneyTextTests.cs (the server's MoneyText.Format)
    const table: [number, string][] = [[0, '$0.00'], [54.97, '$54.97'], [1000, '$1,000.00'], [1232.47, '$1,232.47'], [1234567.5, '$1,234,567.50'], [-5, '-$5.00']];
    // act
    const formatted = table.map(([amount]) => formatPrice(amount));
    // assert
    expect(formatted).toEqual(table.map(([, text]) => text));
  });

  test('FormatPrice_Should_UseDollarsWithTwoDecimals_When_GivenFloat', () => {
    // arrange
    const amounts = [267.49, 1234.5, 0];
    // act
    const formatted = amounts.map(formatPrice);
    // assert
    expect(formatted).toEqual(['$267.49', '$1,234.50', '$0.00']);
  });

  test('FormatRating_Should_SayNoRatings_When_RatingIsNull', () => {
    // arrange
    const rated = { rating: 4.25, reviewCount: 1 };
    // act
    const none = formatRating(null, 0);
    const some = formatRating(rated.rating, rated.reviewCount);
    // assert
    expect(none).toBe('No ratings yet');
    expect(some).toBe('4.3 / 5 (1 review)');
    expect(formatRating(3, 12)).toBe('3.0 / 5 (12 reviews)');
  });

  test('FormatDateTime_Should_PrintUtcMinutes_When_GivenIsoTimestamp', () => {
    // arrange
    const iso = '2026-11-25T11:57:39.123+01:00';
    // act
    const formatted = formatDateTime(iso);
    // assert
    expect(formatted).toBe('2026-11-25 10:57 UTC');
    expect(formatDateTime('garbage')).toBe('garbage');
  });

  test('FormatEnum_Should_StayReadable_When_ValueIsUnknown', () => {
    // arrange
    const values = ['PLACED', 'BANK_TRANSFER', 'PARTIALLY_REFUNDED'];
    // act
    const labels = values.map(formatEnum);
    // assert
    expect(labels).toEqual(['Placed', 'Bank transfer', 'Partially refunded']);
  });

  test('IsFinalOrderStatus_Should_StopPolling_When_OrderConfirmedOrRejected', () => {
    // arrange
    const statuses = ['PLACED', 'CONFIRMED', 'REJECTED'];
    // act
    const final = statuses.map(isFinalOrderStatus);
    // assert
    expect(final).toEqual([false, true, true]);
  });
});

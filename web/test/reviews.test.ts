import { describe, expect, it } from 'vitest';
import { filledStars, isNewestFirst, ratingWithReview, REVIEW_ORDERS, starsLabel } from '../src/catalog/reviews';

describe('reviews', () => {
  it('RatingWithReview_Should_FoldTheNewReviewIntoTheMean_When_ProductHasReviews', () => {
    expect(ratingWithReview(4, 3, 2)).toEqual({ rating: 3.5, reviewCount: 4 });
  });

  it('RatingWithReview_Should_BeTheReview_When_ProductHadNone', () => {
    expect(ratingWithReview(null, 0, 5)).toEqual({ rating: 5, reviewCount: 1 });
    // A null rating means no reviews, whatever a stale count says.
    expect(ratingWithReview(null, 2, 3)).toEqual({ rating: 3, reviewCount: 1 });
  });

  it('StarsLabel_Should_ReadTheRatingWithOneDecimal_When_NotWhole', () => {
    expect(starsLabel(4)).toBe('Rated 4 out of 5 stars');
    expect(starsLabel(4.25)).toBe('Rated 4.3 out of 5 stars');
  });

  it('FilledStars_Should_RoundAndStayWithinOneToFive', () => {
    expect(filledStars(4.4)).toBe(4);
    expect(filledStars(4.5)).toBe(5);
    expect(filledStars(7)).toBe(5);
    expect(filledStars(-1)).toBe(0);
  });

  it('IsNewestFirst_Should_TellTheCachedSortFromItsStoreFieldName_When_AReviewIsAdded', () => {
    expect(isNewestFirst('reviews:{"orderBy":"NEWEST"}')).toBe(true);
    expect(isNewestFirst('reviews')).toBe(true);
    expect(isNewestFirst('reviews:{"orderBy":"HIGHEST_RATING"}')).toBe(false);
    expect(isNewestFirst('reviews:{"orderBy":"LOWEST_RATING"}')).toBe(false);
  });

  it('ReviewOrders_Should_ListNewestFirstThenBothRatingSorts', () => {
    expect(REVIEW_ORDERS.map(([value]) => value)).toEqual(['NEWEST', 'HIGHEST_RATING', 'LOWEST_RATING']);
  });
});

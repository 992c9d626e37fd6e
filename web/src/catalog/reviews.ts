/** The product's average and count once one more review of `stars` is counted, as catalog will compute them
 *  (the exact mean; catalog folds the review in from the ReviewAdded event a moment later). */
export function ratingWithReview(rating: number | null | undefined, reviewCount: number, stars: number): { rating: number; reviewCount: number } {
  const count = rating == null ? 0 : reviewCount;
  const total = (rating ?? 0) * count + stars;
  return { rating: total / (count + 1), reviewCount: count + 1 };
}

/** What a screen reader hears for a rating: "Rated 4.3 out of 5 stars". */
export function starsLabel(rating: number): string {
  const shown = Number.isInteger(rating) ? String(rating) : rating.toFixed(1);
  return `Rated ${shown} out of 5 stars`;
}

/** Filled stars for the rating rounded to the nearest half-star, shown as whole stars (a half rounds up). */
export function filledStars(rating: number): number {
  return Math.min(5, Math.max(0, Math.round(rating)));
}

export type ReviewOrder = 'NEWEST' | 'HIGHEST_RATING' | 'LOWEST_RATING';

/** The product page's review sorts, in the order the menu lists them; the server sorts (reviews' orderBy). */
export const REVIEW_ORDERS: readonly [ReviewOrder, string][] = [['NEWEST', 'Newest'], ['HIGHEST_RATING', 'Highest rating'], ['LOWEST_RATING', 'Lowest rating']];

/** Whether a cached reviews list (its store field name, e.g. `reviews:{"orderBy":"NEWEST"}`) is newest first, the default. */
export function isNewestFirst(storeFieldName: string): boolean {
  const match = /"orderBy":"([A-Z_]+)"/.exec(storeFieldName);
  return !match || match[1] === 'NEWEST';
}

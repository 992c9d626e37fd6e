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

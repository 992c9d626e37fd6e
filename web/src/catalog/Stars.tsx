import { filledStars, starsLabel } from './reviews';

/** A rating as stars, read by screen readers as one image with a text ("Rated 4 out of 5 stars"). */
export function Stars({ rating }: { rating: number }) {
  const filled = filledStars(rating);
  return (
    <span className="stars" role="img" aria-label={starsLabel(rating)}>
      <span aria-hidden="true">{'★'.repeat(filled)}<span className="stars-empty">{'☆'.repeat(5 - filled)}</span></span>
    </span>
  );
}

/** Choosing 1 to 5 stars: a radio group (arrow keys move, each choice announced as "4 stars"). */
export function StarInput({ value, onChange, name }: { value: number; onChange: (stars: number) => void; name: string }) {
  return (
    <fieldset className="star-input">
      <legend>Your rating</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label key={n} className={n <= value ? 'on' : undefined}>
          <input type="radio" name={name} value={n} checked={value === n} onChange={() => onChange(n)} className="sr-only" />
          <span aria-hidden="true">★</span>
          <span className="sr-only">{n} star{n === 1 ? '' : 's'}</span>
        </label>
      ))}
    </fieldset>
  );
}

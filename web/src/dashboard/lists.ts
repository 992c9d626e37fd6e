/** Units available at or below which a product counts as low (and above zero: sold-out products are a list of their own). */
export const LOW_STOCK_THRESHOLD = 5;
/** Fewer reviews than this and a rating says little: "lowest rated" leaves such products out. */
export const MIN_REVIEWS_FOR_RATING = 3;
/** Rows each list shows on the dashboard before "View all". */
export const PREVIEW_ROWS = 10;
/** Rows per page on a "view all" page. */
export const PAGE_SIZE = 25;

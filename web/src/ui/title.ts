import { useEffect } from 'react';

export const SITE_NAME = 'Federation Store';

/** The tab's text for a page: "Cart · Federation Store", or the store's name alone. */
export function pageTitle(title?: string | null): string {
  return title ? `${title} · ${SITE_NAME}` : SITE_NAME;
}

/** Sets document.title while the page is shown; `null` (still loading) leaves the previous title until it is known. */
export function usePageTitle(title: string | null | undefined) {
  useEffect(() => {
    if (title !== null) document.title = pageTitle(title);
  }, [title]);
}

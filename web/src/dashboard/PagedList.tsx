import type { ErrorLike } from '@apollo/client';
import type { ReactNode } from 'react';
import { Breadcrumbs } from '../ui/Breadcrumbs';
import { Empty, ErrorBanner, Loading } from '../ui/States';
import { usePageTitle } from '../ui/title';
import { DashboardNav } from './DashboardNav';
import { PAGE_SIZE } from './lists';

/** What a "view all" page reads of a connection: every page loaded so far, merged by the cache. */
export interface LoadedPages<TNode> {
  totalCount: number;
  edges: readonly { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** The label of the button that loads the next page: never more than the rows still to come. */
export function showMoreLabel(shown: number, total: number, pageSize = PAGE_SIZE): string {
  return `Show ${Math.max(0, Math.min(pageSize, total - shown))} more`;
}

/** "Showing 25 of 63" and the button that loads the next page. */
function Pager({ shown, total, hasNext, loading, onMore, what }: { shown: number; total: number; hasNext: boolean; loading: boolean; onMore: () => void; what: string }) {
  return (
    <div className="pager">
      <p role="status" data-testid="list-count">Showing {shown} of {total} {what}</p>
      {hasNext && <button type="button" onClick={onMore} disabled={loading} data-testid="show-more">{loading ? 'Loading…' : showMoreLabel(shown, total)}</button>}
    </div>
  );
}

export interface PagedListProps<TNode> {
  title: string;
  intro: string;
  /** What the rows are, plural: "Showing 25 of 63 {what}". */
  what: string;
  empty: string;
  testId: string;
  /** The header cells of the table. */
  columns: ReactNode[];
  row: (node: TNode) => ReactNode;
  page: LoadedPages<TNode> | null | undefined;
  loading: boolean;
  error?: ErrorLike;
  refetch: () => unknown;
  /** Loads the page after the given cursor into the same list. */
  fetchMore: (after: string | null | undefined) => unknown;
}

/** A dashboard "view all" page: breadcrumbs, title, the loaded rows as a table, and the pager. */
export function PagedList<TNode>({ title, intro, what, empty, testId, columns, row, page, loading, error, refetch, fetchMore }: PagedListProps<TNode>) {
  usePageTitle(title);
  return (
    <section className="dashboard">
      <Breadcrumbs trail={[{ label: 'Dashboard', to: '/dashboard' }, { label: title }]} />
      <h1>{title}</h1>
      <DashboardNav />
      <p className="muted">{intro}</p>
      <ErrorBanner error={error} onRetry={() => void refetch()} />
      {loading && !page && <Loading what={title.toLowerCase()} />}
      {page && page.totalCount === 0 && <Empty>{empty}</Empty>}
      {page && page.edges.length > 0 && (
        <table data-testid={testId}>
          <caption className="sr-only">{title}</caption>
          <thead><tr>{columns.map((column, i) => <th key={i} scope="col">{column}</th>)}</tr></thead>
          <tbody>{page.edges.map(({ node }) => row(node))}</tbody>
        </table>
      )}
      {page && <Pager shown={page.edges.length} total={page.totalCount} hasNext={page.pageInfo.hasNextPage} loading={loading}
        onMore={() => void fetchMore(page.pageInfo.endCursor)} what={what} />}
    </section>
  );
}

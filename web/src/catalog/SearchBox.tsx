import { useQuery } from '@apollo/client/react';
import { useEffect, useId, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { graphql } from '../__generated__';
import { MAX_SEARCH_LENGTH } from './browse';

const SuggestionsQuery = graphql(`
  query SearchSuggestions($search: String!) {
    products(first: 6, filter: { search: $search }, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name } }
    }
  }
`);

// Suggestions are asked for once typing pauses, and only from two characters on.
export const SUGGEST_DELAY_MS = 250;
const SUGGEST_MIN_LENGTH = 2;

/** The header's search: submitting opens the results page (/search?q=…); product names are suggested as you type. */
export function SearchBox() {
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname === '/search' ? new URLSearchParams(location.search).get('q') ?? '' : '';
  const [text, setText] = useState(current);
  const [debounced, setDebounced] = useState('');
  const listId = useId();
  useEffect(() => setText(current), [current]);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(text.trim()), SUGGEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const { data } = useQuery(SuggestionsQuery, {
    variables: { search: debounced },
    skip: debounced.length < SUGGEST_MIN_LENGTH || debounced === current,
    // Kept out of the cache: a 6-item page would otherwise merge into the results list of the same search.
    fetchPolicy: 'no-cache',
  });

  return (
    <form
      role="search"
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        const q = text.trim();
        navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
      }}
    >
      <label htmlFor={`${listId}-input`} className="sr-only">Search products</label>
      <input
        id={`${listId}-input`}
        type="search"
        name="q"
        placeholder="Search products"
        autoComplete="off"
        maxLength={MAX_SEARCH_LENGTH}
        list={listId}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <datalist id={listId} data-testid="search-suggestions">
        {data?.products.edges.map(({ node }) => <option key={node.id} value={node.name} />)}
      </datalist>
      <button type="submit">Search</button>
    </form>
  );
}

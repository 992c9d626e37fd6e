import type { PersistedQueryLink } from '@apollo/client/link/persisted-queries';

type Options = PersistedQueryLink.RetryFunctionOptions;

function codes(options: Options): string[] {
  const errors = (options.result?.errors ?? []) as readonly { extensions?: Record<string, unknown> }[];
  return errors.map((error) => String(error.extensions?.code ?? ''));
}

/**
 * A gateway without APQ answers a hash-only request with 400 BAD_REQUEST ("must contain a
 * non-empty query") instead of PERSISTED_QUERY_NOT_SUPPORTED; treat that as "not supported"
 * so the client stops sending hashes first for the rest of the session.
 */
export function persistedQueriesUnsupported(options: Options): boolean {
  return options.meta.persistedQueryNotSupported || (options.result?.data == null && codes(options).includes('BAD_REQUEST'));
}

/** Resend with the full query only when the hash itself was the problem, never after real errors. */
export function shouldResendFullQuery(options: Options): boolean {
  return options.meta.persistedQueryNotFound || persistedQueriesUnsupported(options);
}

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';
import { describe, expect, test } from 'vitest';
import { describeError } from '../src/ui/errors';

const response = (status: number) => new Response('', { status });
const everything = (d: { title: string; details: string[]; action: string }) => [d.title, ...d.details, d.action].join(' ');

describe('error messages for people', () => {
  test('a request that never got an answer says so, not "Failed to fetch"', () => {
    const d = describeError(new TypeError('Failed to fetch'));
    expect(d.title).toBe('The store could not be reached.');
    expect(d.action).toBe('Check your internet connection, then try again.');
    expect(everything(d)).not.toContain('Failed to fetch');
  });

  test('a server failure names the status in words and asks to retry, not "Received status code 500"', () => {
    const d = describeError(new ServerError('Response not successful: Received status code 500', { response: response(500), bodyText: '' }));
    expect(d.title).toBe('The store is having trouble right now.');
    expect(d.details).toEqual(['Its server answered with an error (HTTP 500).']);
    expect(everything(d)).not.toContain('Received status code');
    expect(describeError(new ServerError('x', { response: response(429), bodyText: '' })).action).toBe('Wait a few seconds, then try again.');
  });

  test('an unreadable answer is described, not shown', () => {
    const d = describeError(new ServerParseError(new SyntaxError('Unexpected token <'), { response: response(200), bodyText: '<html>' }));
    expect(everything(d)).not.toContain('Unexpected token');
  });

  test('a failed subgraph is named as the part of the store it serves, once', () => {
    const error = new CombinedGraphQLErrors({
      data: { product: { id: '1' } },
      errors: [
        { message: 'Subgraph "reviews" is unavailable.', path: ['product', 'reviews'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'reviews' } },
        { message: 'Subgraph "reviews" is unavailable.', path: ['product', 'rating'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'reviews' } },
      ],
    });
    expect(describeError(error)).toEqual({
      title: 'Part of this page could not be loaded.',
      details: ['Reviews could not be loaded right now.'],
      action: 'Try again in a moment; if it keeps happening, reload the page.',
    });
  });

  test('signed out and not allowed are told apart, and signing in is the way out', () => {
    const signedOut = describeError(new CombinedGraphQLErrors({ errors: [{ message: 'Access denied', extensions: { code: 'UNAUTHENTICATED' } }] }));
    expect(signedOut.title).toBe('This page could not be loaded.');
    expect(signedOut.details).toEqual(['You are not signed in, or your session has ended.']);
    expect(signedOut.action).toBe('Sign in again, then retry.');
    const forbidden = describeError(new CombinedGraphQLErrors({ errors: [{ message: 'nope', extensions: { code: 'FORBIDDEN' } }] }));
    expect(forbidden.details).toEqual(['Your account is not allowed to see this.']);
    const unauthorizedField = describeError(new CombinedGraphQLErrors({ errors: [{ message: 'Unauthorized field or type', path: ['platform'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } }] }));
    expect(unauthorizedField.details).toEqual(['Your account is not allowed to see this.']);
  });

  test("an API message written for callers is kept, without the response path", () => {
    const d = describeError(new CombinedGraphQLErrors({ errors: [{ message: 'The query is too expensive: cost 5,200 exceeds 5,000.', path: ['products'] }] }));
    expect(d.details).toEqual(['The query is too expensive: cost 5,200 exceeds 5,000.']);
  });
});

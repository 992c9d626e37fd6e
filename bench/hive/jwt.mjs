// Token validation as our gateway does it (Authentication:MetadataAddress): every request's bearer token verified
// against the run's JWKS (lib/issuer.mjs), ES256 only, issuer and audience checked; an invalid token is refused and
// a request without one is anonymous, as with ours. BENCH_JWKS_URI is set by lib/targets.mjs.
import { createRemoteJwksSigningKeyProvider, extractFromHeader } from '@graphql-hive/gateway';

export const jwt = process.env.BENCH_JWKS_URI
  ? {
      signingKeyProviders: [createRemoteJwksSigningKeyProvider({ jwksUri: process.env.BENCH_JWKS_URI })],
      tokenLookupLocations: [extractFromHeader({ name: 'authorization', prefix: 'Bearer' })],
      tokenVerification: { issuer: process.env.BENCH_ISSUER, audience: process.env.BENCH_AUDIENCE, algorithms: ['ES256'] },
      reject: { missingToken: false, invalidToken: true },
    }
  : undefined;

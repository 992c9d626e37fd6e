// The client side of token validation (issue 13): an OpenID issuer shaped like accounts (discovery document, JWKS
// of one EC P-256 key named by its RFC 7638 thumbprint, ES256 access tokens with iss/aud/sub/scope/exp), so every
// gateway target verifies a signed bearer token on every request against the same JWKS.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';

export const ISSUER = 'federation-accounts';
export const AUDIENCE = 'federation';
const PORT = 4120;

const base64url = (data) => Buffer.from(data).toString('base64url');

export async function startIssuer() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  // RFC 7638: the required members in lexicographic order, no whitespace.
  const kid = base64url(createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest());
  const jwks = JSON.stringify({ keys: [{ kty, crv, x, y, kid, use: 'sig', alg: 'ES256' }] });
  const origin = `http://127.0.0.1:${PORT}`;
  const discovery = JSON.stringify({ issuer: ISSUER, jwks_uri: `${origin}/.well-known/jwks.json` });
  const server = createServer((req, res) => {
    const body = req.url === '/.well-known/openid-configuration' ? discovery : req.url === '/.well-known/jwks.json' ? jwks : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ?? '{}');
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(PORT, '127.0.0.1', resolve));
  return {
    metadataAddress: `${origin}/.well-known/openid-configuration`,
    jwksUri: `${origin}/.well-known/jwks.json`,
    /** An access token as accounts issues them; valid for the run plus an hour. */
    token({ subject, scope }) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
      const payload = base64url(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: subject, scope, iat: now, nbf: now, exp: now + 6 * 3600 }));
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${header}.${payload}.${base64url(signature)}`;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

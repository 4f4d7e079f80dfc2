// Ứng dụng mẫu đăng nhập bằng SSO của TinhSo (OpenID Connect, authorization code + PKCE).
// Example relying party: plain node:http + openid-client. Run: node examples/sso-client/index.mjs
//
//   TINHSO_ISSUER   issuer of the provider          (default http://localhost:3000/oidc)
//   CLIENT_ID       registered client id            (default demo-app, created in demo mode)
//   CLIENT_SECRET   its secret                      (default: the documented demo secret)
//   PORT            port of this app                (default 4000 → redirect URI http://localhost:4000/callback)
//   SCOPES          scopes asked for                (default openid profile email phone offline_access tinhso:assurance_level)
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import * as client from 'openid-client';

const issuer = new URL(process.env.TINHSO_ISSUER ?? 'http://localhost:3000/oidc');
const clientId = process.env.CLIENT_ID ?? 'demo-app';
const clientSecret = process.env.CLIENT_SECRET ?? 'demo-app-secret-chi-dung-cho-demo';
const port = Number(process.env.PORT ?? 4000);
const base = `http://localhost:${port}`;
const redirectUri = `${base}/callback`;
const scope = process.env.SCOPES ?? 'openid profile email phone offline_access tinhso:assurance_level';

// Discovery: /oidc/.well-known/openid-configuration. The provider authenticates clients with client_secret_basic.
const config = await client.discovery(issuer, clientId, undefined, client.ClientSecretBasic(clientSecret), {
  execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
});

// Demo only: in-memory sessions keyed by a random cookie. A real app keeps them server-side too (never in the browser).
const sessions = new Map();
const pending = new Map();

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (body) =>
  `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Ứng dụng mẫu SSO</title></head><body style="font-family:system-ui;max-width:48rem;margin:2rem auto">${body}</body></html>`;
const cookie = (req, name) => (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);

function send(res, status, html, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(html);
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const sid = cookie(req, 'demo_sid');
    const session = sid ? sessions.get(sid) : undefined;
    try {
      if (url.pathname === '/login') {
        // Authorization code + PKCE (S256); state and nonce bind the answer to this browser.
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        pending.set(state, { verifier, nonce });
        const to = client.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope,
          // offline_access (refresh token) is granted only with an explicit consent prompt (OIDC Core §11).
          ...(scope.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
          code_challenge: await client.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        return send(res, 302, '', { location: to.href });
      }
      if (url.pathname === '/callback') {
        const state = url.searchParams.get('state') ?? '';
        const p = pending.get(state);
        pending.delete(state);
        if (!p) return send(res, 400, page('<p>Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn. <a href="/">Thử lại</a></p>'));
        const tokens = await client.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: p.verifier,
          expectedState: state,
          expectedNonce: p.nonce,
        });
        const id = randomBytes(16).toString('hex');
        sessions.set(id, { tokens, claims: tokens.claims() });
        return send(res, 302, '', { location: '/', 'set-cookie': `demo_sid=${id}; HttpOnly; SameSite=Lax; Path=/` });
      }
      if (url.pathname === '/refresh' && session?.tokens.refresh_token) {
        session.tokens = await client.refreshTokenGrant(config, session.tokens.refresh_token);
        return send(res, 302, '', { location: '/?refreshed=1' });
      }
      if (url.pathname === '/logout' && session) {
        // RP-initiated logout: the provider asks the user to confirm, then comes back to post_logout_redirect_uri.
        sessions.delete(sid);
        const to = client.buildEndSessionUrl(config, { id_token_hint: session.tokens.id_token, post_logout_redirect_uri: `${base}/` });
        return send(res, 302, '', { location: to.href, 'set-cookie': 'demo_sid=; Max-Age=0; Path=/' });
      }
      if (!session) return send(res, 200, page('<h1>Ứng dụng mẫu</h1><p><a href="/login">Đăng nhập bằng tài khoản TinhSo</a></p>'));
      const userinfo = await client.fetchUserInfo(config, session.tokens.access_token, session.claims.sub);
      return send(
        res,
        200,
        page(`<h1>Xin chào, ${esc(userinfo.name ?? session.claims.sub)}</h1>
          ${url.searchParams.has('refreshed') ? '<p><strong>Đã làm mới access token.</strong></p>' : ''}
          <h2>ID token (claims)</h2><pre>${esc(JSON.stringify(session.claims, null, 2))}</pre>
          <h2>UserInfo</h2><pre>${esc(JSON.stringify(userinfo, null, 2))}</pre>
          <p>Access token hết hạn sau ${esc(session.tokens.expires_in ?? '?')} giây.</p>
          <p>${session.tokens.refresh_token ? '<a href="/refresh">Làm mới token</a> · ' : ''}<a href="/logout">Đăng xuất</a></p>`),
      );
    } catch (err) {
      console.error(err);
      return send(res, 500, page(`<p>Lỗi: ${esc(err.error_description ?? err.message)}</p><p><a href="/">Về trang đầu</a></p>`));
    }
  })
  .listen(port, () => console.log(`Ứng dụng mẫu: ${base} (issuer ${issuer.href}, client ${clientId})`));

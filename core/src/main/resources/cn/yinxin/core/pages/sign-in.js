// Sign-in for Yinxin's pages (the signature desk, the holder page, the verification page), served by each service at
// /sign-in/sign-in.js (from core, so the Spring services and the Vert.x verifier serve the same file). With Keycloak: the authorisation-code
// flow with PKCE (RFC 7636, S256) as the public client the service names in /sign-in/config.json; the access token
// goes with each call as a Bearer token and is refreshed shortly before it expires. Tokens live in sessionStorage
// (this tab only, gone when it closes). In development mode there is no sign-in: the page sends its X-Dev-* headers.
//
//   const signIn = await YinxinSignIn.start();   // also completes a sign-in when Keycloak sends the person back
//   signIn.mode                  'keycloak' or 'development'
//   signIn.person                the signed-in person's claims (name, resident_id, ...) or null
//   signIn.signIn() / signOut()  leave for Keycloak's login / logout page and come back here
//   await signIn.headers()       { Authorization: 'Bearer …' } (throws when nobody is signed in)
window.YinxinSignIn = (() => {
  const TOKENS = 'yinxin.sign-in.tokens';
  const PENDING = 'yinxin.sign-in.pending';
  let config = { mode: 'development' };
  let tokens = null;

  const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const random = (length) => base64url(crypto.getRandomValues(new Uint8Array(length)));
  const here = () => location.origin + location.pathname;
  const endpoint = (name) => `${config.issuer}/protocol/openid-connect/${name}`;

  function claims(jwt) {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
  }

  function keep(answer) {
    tokens = { access: answer.access_token, refresh: answer.refresh_token, id: answer.id_token || (tokens && tokens.id),
      expiresAt: Date.now() + answer.expires_in * 1000, person: claims(answer.access_token) };
    sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
  }

  function forget() {
    tokens = null;
    sessionStorage.removeItem(TOKENS);
  }

  async function token(parameters) {
    const response = await fetch(endpoint('token'), { method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: config.clientId, ...parameters }) });
    const answer = await response.json();
    if (!response.ok) {
      forget();
      throw new Error(`登录失败 Sign-in failed: ${answer.error_description || answer.error}`);
    }
    keep(answer);
  }

  const api = {
    get mode() { return config.mode; },
    get person() { return tokens && tokens.person; },

    async start() {
      config = await (await fetch('/sign-in/config.json')).json();
      if (config.mode !== 'keycloak') return api;
      tokens = JSON.parse(sessionStorage.getItem(TOKENS) || 'null');
      const answer = new URLSearchParams(location.search);
      if (!answer.has('code') && !answer.has('error')) return api;
      // Keycloak sent the person back: take the code out of the address, check it answers our request, redeem it
      const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
      sessionStorage.removeItem(PENDING);
      history.replaceState(null, '', here() + location.hash);
      if (answer.has('error')) {
        throw new Error(`登录被拒绝 Sign-in refused: ${answer.get('error_description') || answer.get('error')}`);
      }
      if (!pending || pending.state !== answer.get('state')) {
        throw new Error('登录应答不符 The sign-in answer does not belong to this page (state); sign in again.');
      }
      await token({ grant_type: 'authorization_code', code: answer.get('code'), redirect_uri: pending.redirect,
        code_verifier: pending.verifier });
      return api;
    },

    async signIn() {
      const verifier = random(48);
      const state = random(16);
      const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
      sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, redirect: here() }));
      location.assign(endpoint('auth') + '?' + new URLSearchParams({ client_id: config.clientId,
        redirect_uri: here(), response_type: 'code', scope: 'openid', state, code_challenge: challenge,
        code_challenge_method: 'S256' }));
    },

    signOut() {
      // with the ID token as a hint Keycloak ends the session without asking again
      const hint = tokens && tokens.id ? { id_token_hint: tokens.id } : {};
      forget();
      location.assign(endpoint('logout') + '?' + new URLSearchParams({ client_id: config.clientId,
        post_logout_redirect_uri: here(), ...hint }));
    },

    async headers() {
      if (config.mode !== 'keycloak') return {};
      if (!tokens) throw new Error('请先登录 Sign in first.');
      if (Date.now() > tokens.expiresAt - 20000) {
        await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh });
      }
      return { Authorization: `Bearer ${tokens.access}` };
    },
  };
  return api;
})();

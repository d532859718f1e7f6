// Every call to the backend goes through here: the token from the login rides along. Access tokens live 10 minutes;
// on a 401 the session is renewed once with the refresh token (an HttpOnly cookie the script never sees) and the
// request is sent again; only when that fails does the user go back to the login page.

const TokenKey = "halflife.token";
const UserKey = "halflife.user";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TokenKey);
}

export function currentUser(): string | null {
  return sessionStorage.getItem(UserKey);
}

export function saveLogin(accessToken: string, userName: string): void {
  sessionStorage.setItem(TokenKey, accessToken);
  sessionStorage.setItem(UserKey, userName);
}

/** Forgets the login here and ends the session on the server (its refresh tokens are revoked, cookies cleared). */
export function logout(): void {
  const hadToken = token() !== null;
  sessionStorage.removeItem(TokenKey);
  sessionStorage.removeItem(UserKey);
  if (hadToken) {
    // Fire and forget: leaving must not wait for (or fail with) the network.
    fetch("/api/auth/logout", { method: "POST", headers: RefreshHeaders, body: "{}", credentials: "same-origin", keepalive: true }).catch(() => {});
  }
}

// The refresh cookie counts only with X-Requested-With, which a cross-site form cannot send (docs/security.md).
const RefreshHeaders = { "Content-Type": "application/json; charset=utf-8", "X-Requested-With": "halflife" };

let refreshing: Promise<boolean> | null = null;

/**
 * Renews the access token with the refresh cookie. Single flight: requests that fail together share one attempt,
 * since a refresh token works once and presenting it twice would revoke the whole session (reuse detection).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch("/api/auth/refresh", { method: "POST", headers: RefreshHeaders, body: "{}", credentials: "same-origin" });
      if (!response.ok) return false;
      const body = (await response.json()) as { accessToken?: string };
      if (!body.accessToken) return false;
      sessionStorage.setItem(TokenKey, body.accessToken);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export function authHeaders(): Record<string, string> {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

function send(path: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(authHeaders())) headers.set(k, v);
  return fetch(path, { ...init, headers });
}

/**
 * fetch with the login's token. A 401 gets one renewal and one retry (a body must therefore be re-sendable: a
 * string, Blob or FormData, not a stream); if the token changed meanwhile (another request renewed it) the retry
 * uses it without a second renewal. Auth's own routes answer 401 for wrong passwords and are passed through.
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const sent = token();
  const response = await send(path, init);
  if (response.status !== 401 || path.startsWith("/api/auth/")) return response;
  const current = token();
  const renewed = current !== null && current !== sent ? true : await refreshSession();
  if (renewed) {
    const retried = await send(path, init);
    if (retried.status !== 401) return retried;
  }
  logout();
  onUnauthorized();
  throw new ApiError(401, "Your session has ended: please log in again.");
}

/** The problem-details text of a failed response, or its status line. */
export async function problemText(response: Response): Promise<string> {
  try {
    const body = await response.clone().json();
    if (body && (body.detail || body.title)) return String(body.detail ?? body.title);
  } catch {
    /* not JSON */
  }
  return `${response.status} ${response.statusText}`;
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await apiFetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new ApiError(response.status, await problemText(response));
  return (await response.json()) as T;
}

export async function sendJson<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await apiFetch(path, {
    method,
    headers: { "Content-Type": "application/json; charset=utf-8", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, await problemText(response));
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

// Every call to the backend goes through here: the token from the login rides along, and a 401 sends the user
// back to the login page instead of showing a broken screen.

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

export function logout(): void {
  sessionStorage.removeItem(TokenKey);
  sessionStorage.removeItem(UserKey);
}

export function authHeaders(): Record<string, string> {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(authHeaders())) headers.set(k, v);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401 && !path.startsWith("/api/auth/")) {
    logout();
    onUnauthorized();
    throw new ApiError(401, "Your session has ended: please log in again.");
  }
  return response;
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

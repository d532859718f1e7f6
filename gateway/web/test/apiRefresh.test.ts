import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, apiFetch, getJson, saveLogin, setUnauthorizedHandler, token } from "../src/api";

// The browser's sessionStorage, for node.
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

interface Call {
  path: string;
  authorization: string | null;
  requestedWith: string | null;
  body: unknown;
}

/**
 * A stand-in server: /api/data answers 200 only to the currently valid access token; /api/auth/refresh hands out
 * the next token (or refuses) after a pause, so that concurrent requests really overlap the refresh.
 */
function fakeServer(options: { refreshWorks: boolean; retryStill401?: boolean }) {
  const calls: Call[] = [];
  let valid = "token-2";
  let issued = 1;
  const fetchMock = vi.fn(async (input: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ path: input, authorization: headers.get("Authorization"), requestedWith: headers.get("X-Requested-With"), body: init?.body });
    if (input === "/api/auth/refresh") {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!options.refreshWorks) return new Response(JSON.stringify({ title: "Refresh refused" }), { status: 401 });
      issued += 1;
      valid = `token-${issued}`;
      return new Response(JSON.stringify({ accessToken: valid, tokenType: "Bearer" }), { status: 200 });
    }
    if (input === "/api/auth/logout") return new Response(null, { status: 204 });
    if (input === "/api/auth/login") return new Response(JSON.stringify({ title: "wrong password" }), { status: 401 });
    const ok = headers.get("Authorization") === `Bearer ${valid}` && !options.retryStill401;
    return ok ? new Response(JSON.stringify({ path: input }), { status: 200 }) : new Response(null, { status: 401 });
  });
  return { calls, fetchMock, refreshes: () => calls.filter((c) => c.path === "/api/auth/refresh").length };
}

describe("apiFetch on an expired access token", () => {
  let unauthorized: number;

  beforeEach(() => {
    vi.stubGlobal("sessionStorage", new MemoryStorage());
    unauthorized = 0;
    setUnauthorizedHandler(() => {
      unauthorized += 1;
    });
    saveLogin("token-1", "dr.kim"); // expired: the fake server only accepts token-2 onwards
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("refreshes once with the cookie and the anti-CSRF header, then retries with the new token", async () => {
    const server = fakeServer({ refreshWorks: true });
    vi.stubGlobal("fetch", server.fetchMock);

    const data = await getJson<{ path: string }>("/api/data");

    expect(data.path).toBe("/api/data");
    expect(token()).toBe("token-2");
    expect(server.calls.map((c) => c.path)).toEqual(["/api/data", "/api/auth/refresh", "/api/data"]);
    const refresh = server.calls[1];
    expect(refresh.requestedWith).not.toBeNull();
    // The refresh token is never in script: the body names none, the HttpOnly cookie carries it.
    expect(refresh.body).toBe("{}");
    expect(server.calls[2].authorization).toBe("Bearer token-2");
    expect(unauthorized).toBe(0);
  });

  it("shares one refresh between requests that fail together (a second use would revoke the session)", async () => {
    const server = fakeServer({ refreshWorks: true });
    vi.stubGlobal("fetch", server.fetchMock);

    const responses = await Promise.all(["/api/a", "/api/b", "/api/c", "/api/d"].map((p) => apiFetch(p)));

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(server.refreshes()).toBe(1);
    expect(server.calls.filter((c) => c.path !== "/api/auth/refresh" && c.authorization === "Bearer token-2")).toHaveLength(4);
  });

  it("retries with a token another request already renewed, without refreshing again", async () => {
    const server = fakeServer({ refreshWorks: true });
    vi.stubGlobal("fetch", server.fetchMock);
    await apiFetch("/api/first"); // renews to token-2
    expect(server.refreshes()).toBe(1);

    // A request sent before that renewal comes back 401 with the old token: it must just retry with the new one.
    sessionStorage.setItem("halflife.token", "token-1");
    const late = apiFetch("/api/late");
    sessionStorage.setItem("halflife.token", "token-2");
    expect((await late).status).toBe(200);
    expect(server.refreshes()).toBe(1);
  });

  it("goes back to the login when the refresh is refused", async () => {
    const server = fakeServer({ refreshWorks: false });
    vi.stubGlobal("fetch", server.fetchMock);

    await expect(apiFetch("/api/data")).rejects.toSatisfy((e: unknown) => e instanceof ApiError && e.status === 401);

    expect(server.refreshes()).toBe(1);
    expect(token()).toBeNull();
    expect(unauthorized).toBe(1);
    // Leaving ends the server session too.
    expect(server.calls.at(-1)?.path).toBe("/api/auth/logout");
  });

  it("goes back to the login when the retry is refused too, without a second refresh", async () => {
    const server = fakeServer({ refreshWorks: true, retryStill401: true });
    vi.stubGlobal("fetch", server.fetchMock);

    await expect(apiFetch("/api/data")).rejects.toBeInstanceOf(ApiError);

    expect(server.refreshes()).toBe(1);
    expect(server.calls.filter((c) => c.path === "/api/data")).toHaveLength(2);
    expect(unauthorized).toBe(1);
  });

  it("passes a 401 from Auth's own routes through (a wrong password is not an expired session)", async () => {
    const server = fakeServer({ refreshWorks: true });
    vi.stubGlobal("fetch", server.fetchMock);

    const response = await apiFetch("/api/auth/login", { method: "POST", body: "{}" });

    expect(response.status).toBe(401);
    expect(server.refreshes()).toBe(0);
    expect(token()).toBe("token-1");
  });
});

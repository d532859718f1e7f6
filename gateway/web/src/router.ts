// Hash routes (#/slides/<id>) so a reload lands on the same page whatever the server's fallback does.

export type Route =
  | { page: "login"; next?: string }
  | { page: "slides" }
  | { page: "viewer"; slideId: string }
  | { page: "bone-scans"; studyUid?: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "login") return { page: "login", next: parts.length > 1 ? "/" + parts.slice(1).join("/") : undefined };
  if (parts[0] === "slides" && parts[1]) return { page: "viewer", slideId: parts[1] };
  if (parts[0] === "bone-scans") return { page: "bone-scans", studyUid: parts[1] };
  return { page: "slides" };
}

export function navigate(path: string): void {
  location.hash = "#" + path;
}

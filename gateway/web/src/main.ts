import { currentUser, logout, setUnauthorizedHandler, token } from "./api";
import { h } from "./dom";
import { boneScansPage } from "./pages/boneScans";
import { loginPage } from "./pages/login";
import { slidesPage } from "./pages/slides";
import { viewerPage } from "./pages/viewer";
import { navigate, parseRoute } from "./router";
import "./styles.css";

const app = document.getElementById("app")!;
let disposePage: (() => void) | null = null;

setUnauthorizedHandler(() => navigate(`/login${location.hash.replace(/^#/, "")}`));

function nav(): HTMLElement {
  const out = h("button", { type: "button", className: "link", "aria-label": "Log out" }, "Log out");
  out.addEventListener("click", () => {
    logout();
    navigate("/login");
  });
  return h("nav", { className: "top", "aria-label": "Main" },
    h("strong", {}, "Halflife"),
    h("a", { href: "#/slides" }, "Slides"),
    h("a", { href: "#/bone-scans" }, "Bone scans"),
    h("span", { className: "spacer" }),
    h("span", { className: "user", "aria-label": "Logged in as" }, currentUser() ?? ""),
    out);
}

function render(): void {
  disposePage?.();
  disposePage = null;
  const route = parseRoute(location.hash);
  if (route.page !== "login" && !token()) {
    navigate(`/login${location.hash.replace(/^#/, "")}`);
    return;
  }
  let page: HTMLElement;
  switch (route.page) {
    case "login":
      page = loginPage(route.next);
      app.replaceChildren(page);
      return;
    case "slides":
      page = slidesPage();
      break;
    case "viewer": {
      const viewer = viewerPage(route.slideId);
      disposePage = viewer.dispose;
      page = viewer.element;
      break;
    }
    case "bone-scans": {
      const scans = boneScansPage(route.studyUid);
      disposePage = scans.dispose;
      page = scans.element;
      break;
    }
  }
  app.replaceChildren(nav(), page);
}

window.addEventListener("hashchange", render);
render();

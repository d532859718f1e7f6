import { problemText, saveLogin } from "../api";
import { h, status } from "../dom";
import { navigate } from "../router";

export function loginPage(next?: string): HTMLElement {
  const user = h("input", { id: "login-user", name: "userName", autocomplete: "username", required: true });
  const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const message = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { className: "login", "aria-label": "Log in" },
    h("h1", {}, "Halflife"),
    h("label", { for: "login-user" }, "User name"),
    user,
    h("label", { for: "login-password" }, "Password"),
    password,
    h("button", { type: "submit" }, "Log in"),
    message,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.replaceChildren(status("Logging in…"));
    try {
      const response = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: JSON.stringify({ userName: user.value, password: password.value }),
      });
      if (!response.ok) {
        message.replaceChildren(status(await problemText(response), "error"));
        return;
      }
      const body = (await response.json()) as { accessToken: string };
      saveLogin(body.accessToken, user.value);
      navigate(next ?? "/slides");
    } catch (e) {
      message.replaceChildren(status(`Cannot reach the server: ${(e as Error).message}`, "error"));
    }
  });
  return h("main", { className: "page-login" }, form);
}

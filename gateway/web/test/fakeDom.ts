// Just enough of a DOM for src/dom.ts's builder in node (vitest runs without a browser here): elements with
// attributes, children, text and class names, so rendering code can be checked without jsdom.

export class FakeNode {
  parentNode: FakeElement | null = null;
  constructor(public text = "") {}
  get textContent(): string {
    return this.text;
  }
}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly childNodes: FakeNode[] = [];
  readonly listeners: Record<string, unknown[]> = {};
  dataset: Record<string, string> = {};
  constructor(readonly tagName: string) {
    super();
  }
  set className(value: string) {
    this.attributes.set("class", value);
  }
  get className(): string {
    return this.attributes.get("class") ?? "";
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  addEventListener(type: string, listener: unknown): void {
    (this.listeners[type] ??= []).push(listener);
  }
  appendChild(child: FakeNode): FakeNode {
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  replaceChildren(...children: FakeNode[]): void {
    this.childNodes.length = 0;
    for (const c of children) this.appendChild(c);
  }
  override get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join("");
  }
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  /** Descendants with this tag name, depth first. */
  all(tag: string): FakeElement[] {
    const found: FakeElement[] = [];
    for (const c of this.childNodes) {
      if (!(c instanceof FakeElement)) continue;
      if (c.tagName === tag) found.push(c);
      found.push(...c.all(tag));
    }
    return found;
  }
}

export const fakeDocument = {
  createElement: (tag: string) => new FakeElement(tag),
  createTextNode: (text: string) => new FakeNode(text),
};

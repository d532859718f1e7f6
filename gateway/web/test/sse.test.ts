import { describe, expect, it } from "vitest";
import { SseParser } from "../src/lib/sse";

describe("SseParser", () => {
  it("reads named events with JSON data", () => {
    const p = new SseParser();
    const out = p.feed('event: progress\ndata: {"id":"a","state":"running"}\n\nevent: done\ndata: {"id":"a"}\n\n');
    expect(out).toEqual([
      { event: "progress", data: '{"id":"a","state":"running"}', id: undefined },
      { event: "done", data: '{"id":"a"}', id: undefined },
    ]);
  });

  it("keeps an event cut anywhere across chunks, CRLF split between chunks included", () => {
    const text = "event: progress\r\ndata: {\"n\":1}\r\n\r\n: keep-alive\r\n\r\nevent: progress\r\ndata: {\"n\":2}\r\n\r\n";
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const out = [...p.feed(text.slice(0, cut)), ...p.feed(text.slice(cut))];
      expect(out.map((m) => m.data), `cut at ${cut}`).toEqual(['{"n":1}', '{"n":2}']);
    }
  });

  it("joins data lines, defaults the event name, skips comments and empty events", () => {
    const p = new SseParser();
    expect(p.feed(": hello\n\ndata: a\ndata:b\nid: 7\n\n")).toEqual([{ event: "message", data: "a\nb", id: "7" }]);
  });

  it("drops an event whose blank line never came", () => {
    const p = new SseParser();
    expect(p.feed("event: done\ndata: {}\n")).toEqual([]);
    p.end();
    expect(p.feed("\n")).toEqual([]);
  });

  it("handles lone CR line ends and Korean text", () => {
    const p = new SseParser();
    expect(p.feed("data: 종양\r\r")).toEqual([{ event: "message", data: "종양", id: undefined }]);
  });
});

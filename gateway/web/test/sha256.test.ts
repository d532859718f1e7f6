import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Sha256, sha256Hex } from "../src/lib/sha256";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("Sha256", () => {
  it("matches the FIPS 180-4 vectors", () => {
    expect(sha256Hex(ascii(""))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex(ascii("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("hashes a million 'a' fed in odd-sized pieces", () => {
    const hash = new Sha256();
    const piece = ascii("a".repeat(997));
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, piece.length);
      hash.update(piece.subarray(0, n));
      left -= n;
    }
    expect(hash.digestHex()).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  it("agrees with node's crypto whatever the chunking", () => {
    const data = randomBytes(200_003);
    const expected = createHash("sha256").update(data).digest("hex");
    for (const size of [1, 63, 64, 65, 4096, 100_000]) {
      const hash = new Sha256();
      for (let i = 0; i < data.length; i += size) hash.update(data.subarray(i, i + size));
      expect(hash.length).toBe(data.length);
      expect(hash.digestHex()).toBe(expected);
    }
  });

  it("refuses to be used after digest", () => {
    const hash = new Sha256();
    hash.digest();
    expect(() => hash.update(ascii("x"))).toThrow();
  });
});

using System.Security.Cryptography;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace Halflife.Auth.Tokens;

/// <summary>AES-256-GCM for private keys at rest: nonce | tag | ciphertext, base64.</summary>
public sealed class KeyEncryption(IOptions<AuthOptions> options, IOptions<HalflifeOptions> halflife)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly Lazy<byte[]> _key = new(() => Load(options.Value, halflife.Value));

    public string Protect(byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var output = new byte[NonceBytes + TagBytes + plaintext.Length];
        using var aes = new AesGcm(_key.Value, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes));
        nonce.CopyTo(output, 0);
        return Convert.ToBase64String(output);
    }

    public byte[] Unprotect(string protectedValue)
    {
        var input = Convert.FromBase64String(protectedValue);
        if (input.Length < NonceBytes + TagBytes) throw new CryptographicException("Protected key is too short.");
        var plaintext = new byte[input.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key.Value, TagBytes);
        aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes + TagBytes), input.AsSpan(NonceBytes, TagBytes), plaintext);
        return plaintext;
    }

    private static byte[] Load(AuthOptions options, HalflifeOptions halflife)
    {
        string encoded;
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            encoded = options.KeyEncryptionKey;
        }
        else
        {
            var path = halflife.ResolveDataPath(Path.Combine("secrets", "auth-key-encryption-key"));
            if (!File.Exists(path)) SecretFile.WriteNew(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            encoded = File.ReadAllText(path).Trim();
        }
        var key = Convert.FromBase64String(encoded);
        if (key.Length != 32) throw new InvalidOperationException("Auth:KeyEncryptionKey must be 32 bytes (base64).");
        return key;
    }
}

using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.ServiceDefaults.Security;

/// <summary>Public keys named in Security:TrustedKeys (kid -> PEM).</summary>
public sealed class StaticKeySource(IOptions<SecurityOptions> options) : ISigningKeySource
{
    private readonly Lazy<IReadOnlyList<SecurityKey>> _keys = new(() => options.Value.TrustedKeys.Select(p => Parse(p.Key, p.Value)).ToList());

    public IEnumerable<SecurityKey> ValidationKeys() => _keys.Value;

    public static SecurityKey Parse(string kid, string pem)
    {
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec) { KeyId = kid };
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
            }
            catch (Exception inner) when (inner is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"Security:TrustedKeys:{kid} is not a PEM EC or RSA public key.", inner);
            }
            return new RsaSecurityKey(rsa) { KeyId = kid };
        }
    }
}

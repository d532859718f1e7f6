using Microsoft.IdentityModel.Tokens;

namespace Halflife.ServiceDefaults.Security;

/// <summary>
/// Public keys that may have signed an access token. The Auth service registers one when it runs in the same
/// process (no HTTP round trip); <see cref="SecurityOptions.TrustedKeys"/> is another.
/// </summary>
public interface ISigningKeySource
{
    IEnumerable<SecurityKey> ValidationKeys();
}

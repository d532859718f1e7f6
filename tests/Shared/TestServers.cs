using System.Net.Sockets;

namespace Halflife.Testing;

/// <summary>
/// The real servers that tests/run.sh starts on loopback and announces in HALFLIFE_TEST_* variables. A test that
/// needs one and does not find it fails under CI (CI=true) and is skipped on a developer's machine.
/// </summary>
public static class TestServers
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string RabbitMqUri => Require("HALFLIFE_TEST_RABBITMQ", "RabbitMQ");

    public static string PostgresConnectionString => Require("HALFLIFE_TEST_POSTGRES", "PostgreSQL");

    public static string S3Url => Require("HALFLIFE_TEST_S3", "the S3 server (s3rver)");

    /// <summary>
    /// Settings that put a service host on the real RabbitMQ, PostgreSQL and S3 server, with queues, databases and blob
    /// keys prefixed by <paramref name="run"/> so that hosts of one test share them and other tests do not.
    /// </summary>
    public static Dictionary<string, string?> DistributedSettings(string run) => new()
    {
        ["Bus:Transport"] = "RabbitMq",
        ["Bus:RabbitMqUri"] = RabbitMqUri,
        ["Bus:QueuePrefix"] = run,
        ["Database:Provider"] = "Postgres",
        ["Database:PostgresConnectionString"] = PostgresConnectionString,
        ["Database:Prefix"] = run,
        ["BlobStore:Kind"] = "S3",
        ["BlobStore:S3:ServiceUrl"] = S3Url,
        ["BlobStore:S3:Bucket"] = "halflife-it",
        ["BlobStore:S3:AccessKey"] = "S3RVER",
        ["BlobStore:S3:SecretKey"] = "S3RVER",
        ["BlobStore:S3:KeyPrefix"] = run,
    };

    /// <summary>Fails (CI) or skips (elsewhere) when a required tool or server is missing.</summary>
    public static void Unavailable(string what)
    {
        var message = $"{what} is not available. Run the tests through ./test.sh, which installs and starts it.";
        if (InCi) Assert.Fail(message);
        Assert.Skip(message);
    }

    private static string Require(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Unavailable($"{what} ({variable} unset)");
            return "";
        }
        if (!Reachable(value)) Unavailable($"{what} at {value}");
        return value;
    }

    private static bool Reachable(string address)
    {
        var (host, port) = HostAndPort(address);
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(3)) && client.Connected;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static (string Host, int Port) HostAndPort(string address)
    {
        if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0) return (uri.Host, uri.Port);
        // Npgsql style: Host=...;Port=...
        var parts = address.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return (parts.GetValueOrDefault("Host", "127.0.0.1"), int.Parse(parts.GetValueOrDefault("Port", "5432")));
    }
}

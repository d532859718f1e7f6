using System.Text;
using System.Text.RegularExpressions;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Kubernetes;

/// <summary>
/// The RabbitMQ queues a service's consumers read, named as MassTransit's KebabCaseEndpointNameFormatter names
/// them (ServiceDefaults sets it): "InstanceReceivedConsumer" -> "instance-received".
/// </summary>
public static partial class ConsumerQueues
{
    public static IReadOnlyList<string> Of(ServiceHost host)
    {
        var queues = new List<string>();
        foreach (var file in Directory.EnumerateFiles(host.ServiceFolder, "*.cs", SearchOption.AllDirectories))
        {
            if (Repository.IsBuildOutput(file)) continue;
            foreach (Match m in ConsumerClass().Matches(File.ReadAllText(file))) queues.Add(Kebab(m.Groups["name"].Value));
        }
        return queues.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public static string Kebab(string consumerTypeName)
    {
        var name = consumerTypeName.EndsWith("Consumer", StringComparison.Ordinal) ? consumerTypeName[..^"Consumer".Length] : consumerTypeName;
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) builder.Append('-');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"class\s+(?<name>\w+)\b[^{;]*\bIConsumer<")]
    private static partial Regex ConsumerClass();
}

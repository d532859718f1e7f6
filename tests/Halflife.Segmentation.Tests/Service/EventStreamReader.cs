using System.Text.Json.Nodes;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>Reads a text/event-stream response into (event, data) pairs, as a browser's EventSource would.</summary>
internal static class EventStreamReader
{
    public static async IAsyncEnumerable<(string Event, JsonObject Data)> ReadAsync(Stream stream,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        string? name = null;
        var data = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null && data.Length > 0) yield return (name, JsonNode.Parse(data.ToString())!.AsObject());
                name = null;
                data.Clear();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line["data: ".Length..]);
        }
    }
}

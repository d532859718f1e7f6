using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Halflife.Dicom.Network.Tests.Infrastructure;

/// <summary>
/// A private Orthanc on loopback (Debian's `Orthanc` binary) with its storage, index and config in a temp folder.
/// Started and stopped by the test that needs it.
/// </summary>
internal sealed class OrthancServer : IAsyncDisposable
{
    private readonly RunningProcess _process;
    private readonly string _directory;

    public int DicomPort { get; }
    public string AeTitle => "ORTHANC_TEST";
    public HttpClient Http { get; }

    private OrthancServer(RunningProcess process, string directory, int dicomPort, int httpPort)
    {
        _process = process;
        _directory = directory;
        DicomPort = dicomPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Log => _process.Output;

    /// <param name="modalities">Name, AE title and port of each SCP Orthanc may push to.</param>
    public static async Task<OrthancServer> StartAsync(string binary, IEnumerable<(string Name, string AeTitle, int Port)> modalities,
        CancellationToken cancellationToken)
    {
        var directory = TestEnvironment.CreateTempDirectory("halflife-orthanc");
        var dicomPort = TestEnvironment.FreePort();
        var httpPort = TestEnvironment.FreePort();
        var modalityConfig = new JsonObject();
        foreach (var (name, aeTitle, port) in modalities)
        {
            modalityConfig[name] = new JsonArray(aeTitle, "127.0.0.1", port);
        }
        var config = new JsonObject
        {
            ["Name"] = "halflife-network-test",
            ["StorageDirectory"] = Path.Combine(directory, "storage"),
            ["IndexDirectory"] = Path.Combine(directory, "index"),
            ["DicomAet"] = "ORTHANC_TEST",
            ["DicomPort"] = dicomPort,
            ["HttpPort"] = httpPort,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["DicomModalities"] = modalityConfig,
            ["OverwriteInstances"] = true,
            ["UnknownSopClassAccepted"] = true,
            ["StorageCompression"] = false,
            ["Plugins"] = new JsonArray(),
        };
        var configPath = Path.Combine(directory, "orthanc.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(), cancellationToken);

        var process = RunningProcess.Start(binary, [configPath], directory);
        var server = new OrthancServer(process, directory, dicomPort, httpPort);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }
            try
            {
                using var response = await server.Http.GetAsync("system", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100, cancellationToken);
        }
        var log = process.Output;
        await server.DisposeAsync();
        throw new InvalidOperationException($"Orthanc did not come up:\n{log}");
    }

    /// <summary>Uploads a file through REST; null when Orthanc refuses it (it judges content, like its SCP).</summary>
    public async Task<string?> TryUploadAsync(string path, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path, cancellationToken));
        using var response = await Http.PostAsync("instances", content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return body!["ID"]!.GetValue<string>();
    }

    /// <summary>Orthanc's instance ID for a SOP Instance UID, or null when Orthanc does not have it.</summary>
    public async Task<string?> FindInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken)
    {
        using var response = await Http.PostAsync("tools/lookup", new StringContent(sopInstanceUid), cancellationToken);
        response.EnsureSuccessStatusCode();
        var matches = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken);
        return matches!.Select(m => m!.AsObject()).FirstOrDefault(m => m["Type"]!.GetValue<string>() == "Instance")?["ID"]!.GetValue<string>();
    }

    public Task<byte[]> DownloadAsync(string instanceId, CancellationToken cancellationToken) =>
        Http.GetByteArrayAsync($"instances/{instanceId}/file", cancellationToken);

    /// <summary>Asks Orthanc to C-STORE instances to a configured modality and waits for the job.</summary>
    public async Task<JsonObject> StoreToModalityAsync(string modality, IEnumerable<string> instanceIds, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["Resources"] = new JsonArray(instanceIds.Select(id => (JsonNode)id).ToArray()), ["Synchronous"] = true };
        using var response = await Http.PostAsync($"modalities/{modality}/store",
            new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Orthanc store to {modality} failed: {(int)response.StatusCode} {text}\n{Log}");
        }
        return JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Orthanc may still hold a file for a moment; temp folders are swept by the OS.
        }
    }
}

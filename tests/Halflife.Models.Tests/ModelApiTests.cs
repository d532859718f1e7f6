using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Halflife.Models.Api;

namespace Halflife.Models.Tests;

/// <summary>/api/models end to end on a real host: upload, validation, list, card, download, activation, deletion.</summary>
public sealed class ModelApiTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ModelsHost _host = null!;
    private HttpClient Client => _host.Client;

    public async ValueTask InitializeAsync() => _host = await ModelsHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Models:MaxModelBytes"] = "4000000",
    });

    [Fact]
    public async Task Upload_stores_the_model_with_its_hash_and_serves_card_and_file_back()
    {
        var onnx = await File.ReadAllBytesAsync(ModelFiles.BoneRestoreOnnx, Ct);
        using var response = await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.WithVersion("2.0.0"), onnx), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/models/bone-restore/versions/2.0.0", response.Headers.Location?.OriginalString);
        var stored = await response.Content.ReadFromJsonAsync<ModelVersionDto>(Ct);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(onnx)), stored!.Sha256);
        Assert.Equal(onnx.Length, stored.SizeBytes);
        Assert.False(stored.Active);

        Assert.Equal(onnx, await Client.GetByteArrayAsync("/api/models/bone-restore/versions/2.0.0/model.onnx", Ct));
        using var card = JsonDocument.Parse(await Client.GetStringAsync("/api/models/bone-restore/versions/2.0.0/card", Ct));
        Assert.Equal("2.0.0", card.RootElement.GetProperty("version").GetString());
        Assert.True(card.RootElement.TryGetProperty("metrics", out _), "the card is kept whole, with sections the schema does not interpret");

        var list = await Client.GetFromJsonAsync<List<ModelSummaryDto>>("/api/models", Ct);
        var model = Assert.Single(list!);
        Assert.Equal("2.0.0", Assert.Single(model.Versions).Version);
    }

    [Fact]
    public async Task The_same_version_twice_is_a_conflict()
    {
        var onnx = await File.ReadAllBytesAsync(ModelFiles.BoneRestoreOnnx, Ct);
        using var first = await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.WithVersion("3.0.0"), onnx), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.WithVersion("3.0.0"), onnx), Ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task A_file_onnx_runtime_cannot_load_is_refused_and_nothing_is_stored()
    {
        using var response = await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.WithVersion("9.0.0"), "not an onnx model"u8.ToArray()), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ONNX Runtime cannot load the model", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty((await Client.GetFromJsonAsync<List<ModelSummaryDto>>("/api/models", Ct))!);
    }

    [Fact]
    public async Task A_card_that_disagrees_with_the_graph_is_refused_with_each_difference()
    {
        var card = ModelFiles.BoneRestoreCard(c =>
        {
            c["version"] = "9.0.1";
            c["inputs"]![0]!["name"] = "image";
            c["outputs"]![0]!["shape"] = new System.Text.Json.Nodes.JsonArray(-1, 1, -1);
            c["outputs"]![0]!.AsObject().Remove("layout");
        });
        using var response = await Client.PostAsync("/api/models", ModelsHost.Upload(card, await File.ReadAllBytesAsync(ModelFiles.BoneRestoreOnnx, Ct)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(body.Contains("the card does not describe: input"), body);
        Assert.Contains("input \u0027image\u0027 is not in the model", body);
        Assert.Contains("the card\u0027s shape has rank 3, the model\u0027s rank is 4", body);
    }

    [Fact]
    public async Task A_model_over_the_size_limit_is_refused_while_streaming()
    {
        var tooBig = new byte[4_000_001];
        using var response = await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.WithVersion("9.0.2"), tooBig), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Upload_without_a_card_or_as_json_is_a_client_error()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(ModelFiles.BoneRestoreOnnx, Ct)), "model", "m.onnx" } };
        using var noCard = await Client.PostAsync("/api/models", form, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noCard.StatusCode);
        Assert.Contains("no card", await noCard.Content.ReadAsStringAsync(Ct));
        using var json = await Client.PostAsJsonAsync("/api/models", new { name = "x" }, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task A_model_with_external_data_is_stored_with_its_data_file()
    {
        var (onnx, data) = ModelFiles.SharedDenoiser();
        using var missingData = await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.DenoiserCard(), await File.ReadAllBytesAsync(onnx, Ct)), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missingData.StatusCode);

        using var response = await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.DenoiserCard(), await File.ReadAllBytesAsync(onnx, Ct),
            (Path.GetFileName(data), await File.ReadAllBytesAsync(data, Ct))), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stored = await response.Content.ReadFromJsonAsync<ModelVersionDto>(Ct);
        Assert.Equal(["dncnn_gray_blind.onnx.data"], stored!.DataFiles);
    }

    [Fact]
    public async Task Activation_switches_versions_and_the_active_version_cannot_be_deleted()
    {
        var onnx = await File.ReadAllBytesAsync(ModelFiles.BoneRestoreOnnx, Ct);
        foreach (var version in new[] { "1.0.0", "2.0.0" })
            (await Client.PostAsync("/api/models", ModelsHost.Upload(ModelFiles.WithVersion(version), onnx), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/bone-restore/active", Ct)).StatusCode);

        (await Client.PostAsJsonAsync("/api/models/bone-restore/active", new ActivateRequest("1.0.0"), Ct)).EnsureSuccessStatusCode();
        (await Client.PostAsJsonAsync("/api/models/bone-restore/active", new ActivateRequest("2.0.0"), Ct)).EnsureSuccessStatusCode();
        Assert.Equal("2.0.0", (await Client.GetFromJsonAsync<ActivationDto>("/api/models/bone-restore/active", Ct))!.Version);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync("/api/models/bone-restore/active", new ActivateRequest("7.0.0"), Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await Client.DeleteAsync("/api/models/bone-restore/versions/2.0.0", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/models/bone-restore/versions/1.0.0", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/bone-restore/versions/1.0.0", Ct)).StatusCode);

        (await Client.DeleteAsync("/api/models/bone-restore/active", Ct)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/bone-restore/active", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/api/models/bone-restore/versions/2.0.0", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/api/models/..%2Fetc")]
    [InlineData("/api/models/BONE/versions/1.0.0")]
    [InlineData("/api/models/bone-restore/versions/..%2F..%2Fx/model.onnx")]
    public async Task Unsafe_or_unknown_names_are_not_found(string path)
    {
        using var response = await Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        ModelsHost.Delete(_host.DataDirectory);
    }
}

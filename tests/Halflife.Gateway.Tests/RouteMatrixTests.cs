using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Gateway.Tests;

/// <summary>
/// Every /api endpoint of the Standalone host (read from its EndpointDataSource, so new routes are covered at once)
/// against every way a caller can be wrong, with Security:Enforce on: no token, expired, bad signature, wrong
/// audience -> 401; wrong role -> 403; another project's study, slide or upload -> 404 (existence not leaked);
/// valid -> neither 401 nor 403 (and 2xx for reads of seeded data). <see cref="RouteAccessTable"/> must name every
/// route and only routes that exist.
/// </summary>
public sealed partial class RouteMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string User = "matrix-user";
    private const string Project = "alpha";

    private sealed record Endpoint(string Method, string Pattern, RouteRule? Rule);

    /// <summary>What the matrix addresses: everything in project "alpha", the export started by <see cref="User"/>.</summary>
    private sealed record Seed(Guid SlideId, Guid AnnotationId, Guid UploadId, string StudyUid, Guid InstanceId)
    {
        public Guid DenoisedId { get; init; } = Guid.NewGuid();
        public Guid RestoredId { get; init; } = Guid.NewGuid();
        public Guid ReportingDerivedId { get; init; } = Guid.NewGuid();
        public Guid ReportId { get; init; } = Guid.NewGuid();
        public Guid ExportId { get; init; } = Guid.NewGuid();
    }

    [Fact]
    public async Task Every_api_route_has_exactly_one_access_rule_and_the_gateway_path_matcher_agrees()
    {
        await using var host = await StandaloneHost.StartAsync();
        var endpoints = Endpoints(host);
        var missing = endpoints.Where(e => e.Rule is null).Select(e => $"{e.Method} {e.Pattern}").ToList();
        Assert.True(missing.Count == 0, "Routes without a row in RouteAccessTable (add one):\n" + string.Join('\n', missing));
        Assert.Equal(RouteAccessTable.Rules.Count, RouteAccessTable.Rules.Select(r => r.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(RouteAccessTable.Rules, r => Assert.True(Access.IsKnown(r.Access), r.Key));

        // The distributed gateway only sees paths: matching a sample path must find the same row as the endpoint.
        var seed = new Seed(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "1.2.3.4", Guid.NewGuid());
        foreach (var e in endpoints)
        {
            var path = SamplePath(e, seed, out _);
            Assert.True(RouteAccessMatcher.Match(e.Method, path) == e.Rule, $"{e.Method} {path} matches {RouteAccessMatcher.Match(e.Method, path)?.Key}, not {e.Rule!.Key}");
        }

        var mapped = endpoints.Select(e => RouteAccessTable.KeyOf(e.Method, e.Pattern)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stale = RouteAccessTable.Rules.Where(r => !mapped.Contains(r.Key)).Select(r => r.Key).ToList();
        Assert.True(stale.Count == 0, "RouteAccessTable rows for routes that no longer exist:\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task Every_api_route_answers_401_403_404_or_success_as_its_rule_says()
    {
        await using var host = await StandaloneHost.StartAsync();
        using var client = host.Client();
        var seed = await SeedAsync(client, host);
        var failures = new List<string>();
        // Reads first, deletions last, so a valid DELETE does not take away what later cases address.
        var ordered = Endpoints(host).Where(e => e.Rule is not null)
            .OrderBy(e => e.Method switch { "GET" or "HEAD" => 0, "DELETE" => 2, _ => 1 }).ToList();
        foreach (var e in ordered)
        {
            var rule = e.Rule!;
            var path = SamplePath(e, seed, out var allSeeded);
            async Task Expect(string name, string? token, Func<HttpResponseMessage, bool> ok, string expected)
            {
                using var response = await SendAsync(client, e.Method, path, token);
                if (!ok(response))
                    failures.Add($"{e.Method} {path} [{rule.Access}] {name}: got {(int)response.StatusCode}, expected {expected}");
            }

            if (rule.Access == Access.Anonymous)
            {
                await Expect("no token", null, r => !r.Headers.WwwAuthenticate.Any(), "no authentication challenge");
                continue;
            }
            var validRole = Access.RolesFor(rule.Access).FirstOrDefault(r => r != Roles.Admin) ?? (rule.Access == Access.Admin ? Roles.Admin : Roles.Radiologist);
            await Expect("no token", null, Is(401), "401");
            await Expect("expired", TestIdentity.Mint(Spec(validRole) with { IssuedAt = DateTimeOffset.UtcNow.AddHours(-1) }), Is(401), "401");
            await Expect("bad signature", TestIdentity.Mint(Spec(validRole) with { ForgedSignature = true }), Is(401), "401");
            await Expect("wrong audience", TestIdentity.Mint(Spec(validRole) with { Audience = "some-other-api" }), Is(401), "401");
            await Expect("wrong issuer", TestIdentity.Mint(Spec(validRole) with { Issuer = "someone-else" }), Is(401), "401");
            if (rule.Access != Access.Authenticated)
            {
                var allowed = Access.RolesFor(rule.Access);
                var wrong = Roles.All.FirstOrDefault(r => !allowed.Contains(r));
                await Expect($"wrong role ({wrong ?? "none"})", TestIdentity.Mint(Spec(wrong) with { Projects = [Project] }), Is(403), "403");
            }
            // Admins see every project by design, so "another project's data" is a case only for the other roles.
            if (rule.Scope != ResourceScope.None && validRole != Roles.Admin)
                await Expect("another project's data", TestIdentity.Mint(Spec(validRole) with { UserName = "intruder", Projects = ["beta"] }), Is(404), "404");
            // Reads must succeed where the test knows the data: seeded resources, and the services whose lists need no query.
            var mustSucceed = (e.Method is "GET" or "HEAD") && allSeeded
                              && (rule.Scope != ResourceScope.None || KnownServices().IsMatch(e.Pattern));
            await Expect("valid", TestIdentity.Mint(Spec(validRole) with { Projects = [Project, HalflifeClaims.DefaultProject] }),
                r => mustSucceed ? r.IsSuccessStatusCode : r.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                mustSucceed ? "2xx" : "neither 401 nor 403");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Lists_show_only_the_callers_projects_and_views_and_refusals_are_audited()
    {
        await using var host = await StandaloneHost.StartAsync();
        using var client = host.Client();
        var seed = await SeedAsync(client, host);

        var own = await GetAsync<PagedResult<JsonObject>>(client, "/api/slides", Token(Roles.Pathologist, Project));
        Assert.Contains(own.Items, s => (string?)s["id"] == seed.SlideId.ToString());
        var other = await GetAsync<PagedResult<JsonObject>>(client, "/api/slides", Token(Roles.Pathologist, "beta"));
        Assert.DoesNotContain(other.Items, s => (string?)s["id"] == seed.SlideId.ToString());
        var studies = await GetAsync<PagedResult<StudySummary>>(client, "/api/ingest/studies", Token(Roles.Radiologist, "beta"));
        Assert.Empty(studies.Items);
        studies = await GetAsync<PagedResult<StudySummary>>(client, "/api/ingest/studies", Token(Roles.Radiologist, Project));
        Assert.Single(studies.Items, s => s.StudyInstanceUid == seed.StudyUid);

        // Derived data, reports and exports follow their study's project (exports: their starter) in lists too.
        var intruder = TestIdentity.Mint(Spec(Roles.Radiologist) with { UserName = "intruder", Projects = ["beta"] });
        foreach (var list in new[]
                 {
                     $"/api/denoise/denoised?studyInstanceUid={seed.StudyUid}", $"/api/restore/derived?studyInstanceUid={seed.StudyUid}",
                     "/api/reporting/reports?accessionNumber=petctviewer.org",
                 })
        {
            Assert.NotEmpty(await GetAsync<List<JsonObject>>(client, list, Token(Roles.Radiologist, Project)));
            Assert.Empty(await GetAsync<List<JsonObject>>(client, list, intruder));
        }
        Assert.Contains(await GetAsync<List<JsonObject>>(client, "/api/reporting/exports", Token(Roles.Researcher, Project)),
            e => (string?)e["id"] == seed.ExportId.ToString());
        Assert.DoesNotContain(await GetAsync<List<JsonObject>>(client, "/api/reporting/exports", intruder), e => (string?)e["id"] == seed.ExportId.ToString());

        using (var view = await SendAsync(client, "GET", $"/api/slides/{seed.SlideId}", Token(Roles.Pathologist, Project))) Assert.True(view.IsSuccessStatusCode);
        using (var download = await SendAsync(client, "GET", $"/api/ingest/instances/{seed.InstanceId}/file", Token(Roles.Radiologist, Project)))
            Assert.True(download.IsSuccessStatusCode);
        using (var denied = await SendAsync(client, "GET", $"/api/slides/{seed.SlideId}", TestIdentity.Mint(Spec(Roles.Pathologist) with { UserName = "intruder", Projects = ["beta"] })))
            Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);

        var audit = await GetAsync<PagedResult<JsonObject>>(client, $"/api/auth/audit?resourceId={seed.SlideId}", Token(Roles.Admin));
        Assert.Contains(audit.Items, a => (string?)a["action"] == "view" && (string?)a["userName"] == User && (string?)a["outcome"] == "success"
                                          && (string?)a["projectId"] == Project);
        Assert.Contains(audit.Items, a => (string?)a["userName"] == "intruder" && (string?)a["outcome"] == "denied");
        var downloads = await GetAsync<PagedResult<JsonObject>>(client, $"/api/auth/audit?action=download&resourceType=instance", Token(Roles.Admin));
        Assert.Contains(downloads.Items, a => (string?)a["resourceId"] == seed.InstanceId.ToString() && (string?)a["clientIp"] == "127.0.0.1");

        using (var derived = await SendAsync(client, "GET", $"/api/restore/derived/{seed.RestoredId}/file", Token(Roles.Radiologist, Project)))
            Assert.True(derived.IsSuccessStatusCode);
        using (var refused = await SendAsync(client, "GET", $"/api/denoise/denoised/{seed.DenoisedId}", intruder))
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var restored = await GetAsync<PagedResult<JsonObject>>(client, $"/api/auth/audit?resourceId={seed.RestoredId}", Token(Roles.Admin));
        Assert.Contains(restored.Items, a => (string?)a["action"] == "download" && (string?)a["resourceType"] == "derived-image"
                                             && (string?)a["projectId"] == Project && (string?)a["userName"] == User);
        var denoised = await GetAsync<PagedResult<JsonObject>>(client, $"/api/auth/audit?resourceId={seed.DenoisedId}", Token(Roles.Admin));
        Assert.Contains(denoised.Items, a => (string?)a["userName"] == "intruder" && (string?)a["outcome"] == "denied" && (string?)a["projectId"] == Project);
    }

    private static Func<HttpResponseMessage, bool> Is(int status) => r => (int)r.StatusCode == status;

    private static TestIdentity.TokenSpec Spec(string? role) => new() { UserName = User, Roles = role is null ? [] : [role] };

    private static string Token(string role, params string[] projects) => TestIdentity.Mint(Spec(role) with { Projects = projects });

    private static List<Endpoint> Endpoints(StandaloneHost host) =>
        host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && RouteAccessTable.NormalizePattern(raw).StartsWith("/api/", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m =>
                new Endpoint(m, RouteAccessTable.NormalizePattern(e.RoutePattern.RawText!), RouteAccessTable.Find(m, e.RoutePattern.RawText!))))
            .DistinctBy(e => RouteAccessTable.KeyOf(e.Method, e.Pattern))
            .ToList();

    /// <summary>The pattern with its parameters filled: seeded resources where the route addresses one.</summary>
    private static string SamplePath(Endpoint e, Seed seed, out bool allSeeded)
    {
        var seeded = true;
        var scope = e.Rule?.Scope ?? ResourceScope.None;
        var path = Parameter().Replace(e.Pattern, m =>
        {
            switch (m.Groups["name"].Value)
            {
                case "id" when scope == ResourceScope.Slide: return seed.SlideId.ToString();
                case "id" when scope == ResourceScope.Instance: return seed.InstanceId.ToString();
                case "id" when scope == ResourceScope.Upload: return seed.UploadId.ToString();
                case "id" when scope == ResourceScope.DenoisedImage: return seed.DenoisedId.ToString();
                case "id" when scope == ResourceScope.RestoredImage: return seed.RestoredId.ToString();
                case "id" when scope == ResourceScope.ReportingDerivedImage: return seed.ReportingDerivedId.ToString();
                case "id" when scope == ResourceScope.Report: return seed.ReportId.ToString();
                case "id" when scope == ResourceScope.Export: return seed.ExportId.ToString();
                case "studyInstanceUid" or "studyUid": return seed.StudyUid;
                case "annotationId": return seed.AnnotationId.ToString();
                case "level" or "column" or "row": return "0";
                case "name" when scope == ResourceScope.Slide: return "thumbnail";
                case "name" when scope == ResourceScope.Export: return "pairs.csv";
                case "projectId": return Project;
                default:
                    seeded = false;
                    return m.Groups["constraint"].Value.StartsWith(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString()
                        : m.Groups["constraint"].Value.StartsWith(":int", StringComparison.Ordinal) ? "1" : "x";
            }
        });
        allSeeded = seeded;
        return path;
    }

    [GeneratedRegex("^/api/(auth|slides|ingest)/")]
    private static partial Regex KnownServices();

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<constraint>[:=?][^}]*)?\}")]
    private static partial Regex Parameter();

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return await client.SendAsync(request, Ct);
    }

    private static async Task<T> GetAsync<T>(HttpClient client, string path, string token)
    {
        using var response = await SendAsync(client, "GET", path, token);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<T>(Ct))!;
    }

    /// <summary>
    /// A real slide with an annotation, an upload in progress and an NM study with its denoised and restored images,
    /// Reporting's copies and a report, all in project "alpha"; and a finished export started by <see cref="User"/>.
    /// </summary>
    private static async Task<Seed> SeedAsync(HttpClient client, StandaloneHost host)
    {
        var slideBytes = await File.ReadAllBytesAsync(TestPaths.Data("wsi", "cmu-1-small-region.svs"), Ct);
        using var slideUpload = new HttpRequestMessage(HttpMethod.Post,
            $"/api/slides?fileName=cmu-1.svs&projectId={Project}&sha256={Convert.ToHexStringLower(SHA256.HashData(slideBytes))}")
        {
            Content = new ByteArrayContent(slideBytes),
        };
        slideUpload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(Roles.Pathologist, Project));
        using var slideResponse = await client.SendAsync(slideUpload, Ct);
        Assert.True(slideResponse.StatusCode == HttpStatusCode.Created, $"{(int)slideResponse.StatusCode} {await slideResponse.Content.ReadAsStringAsync(Ct)}");
        var slideId = Guid.Parse((string)(await slideResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!);

        var feature = new JsonObject
        {
            ["type"] = "Feature",
            ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(100, 100) },
            ["properties"] = new JsonObject(),
        };
        using var annotation = new HttpRequestMessage(HttpMethod.Post, $"/api/slides/{slideId}/annotations") { Content = JsonContent.Create(feature) };
        annotation.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(Roles.Pathologist, Project));
        using var annotationResponse = await client.SendAsync(annotation, Ct);
        Assert.True(annotationResponse.StatusCode == HttpStatusCode.Created, $"{(int)annotationResponse.StatusCode} {await annotationResponse.Content.ReadAsStringAsync(Ct)}");
        var annotationId = Guid.Parse((string)JsonNode.Parse(await annotationResponse.Content.ReadAsStringAsync(Ct))!["id"]!);

        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/slides/uploads")
        {
            Content = JsonContent.Create(new { fileName = "later.svs", size = 1000, projectId = Project }),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(Roles.Radiologist, Project));
        using var startResponse = await client.SendAsync(start, Ct);
        Assert.True(startResponse.StatusCode == HttpStatusCode.Created, $"{(int)startResponse.StatusCode} {await startResponse.Content.ReadAsStringAsync(Ct)}");
        var uploadId = Guid.Parse((string)(await startResponse.Content.ReadFromJsonAsync<JsonObject>(Ct))!["uploadId"]!);

        using var dicom = new HttpRequestMessage(HttpMethod.Post, $"/api/ingest/instances?projectId={Project}")
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(TestPaths.Data("dicom", "poumonsReins.dcm"), Ct)),
        };
        dicom.Content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        dicom.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(Roles.Technologist, Project));
        using var dicomResponse = await client.SendAsync(dicom, Ct);
        Assert.True(dicomResponse.StatusCode == HttpStatusCode.Created, $"{(int)dicomResponse.StatusCode} {await dicomResponse.Content.ReadAsStringAsync(Ct)}");
        var stored = (await dicomResponse.Content.ReadFromJsonAsync<StoredInstance>(Ct))!;
        var seed = new Seed(slideId, annotationId, uploadId, stored.StudyInstanceUid, stored.InstanceId);
        return await SeedDerivedAsync(client, host, seed);
    }
}

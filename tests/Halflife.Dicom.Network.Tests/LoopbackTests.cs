using System.Net;
using Halflife.Dicom.Network.Tests.Infrastructure;

namespace Halflife.Dicom.Network.Tests;

/// <summary>Our SCU against our SCP on loopback: negotiation, statuses, limits and timeouts.</summary>
public sealed class LoopbackTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private static DicomServer StartServer(RecordingStoreHandler handler, Action<DicomServerOptions>? configure = null)
    {
        var options = new DicomServerOptions { AeTitle = "TEST_SCP" };
        configure?.Invoke(options);
        return DicomServer.Start(IPAddress.Loopback, 0, handler, options);
    }

    private static DicomClient Client(DicomServer server, string calledAe = "TEST_SCP", string callingAe = "TEST_SCU") =>
        new("127.0.0.1", server.Port, callingAe, calledAe);

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Echo_and_many_stores_on_one_association_arrive_byte_identical()
    {
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler, o => o.MaxPduLength = 4096);
        var client = Client(server).AddRequest(new DicomCEchoRequest());
        var sent = new Dictionary<string, byte[]>();
        for (var i = 0; i < 20; i++)
        {
            var data = RandomBytes(1000 + i * 998, i);
            sent[$"1.2.3.{i}"] = data;
            client.AddRequest(new DicomCStoreRequest(CtImageStorage, $"1.2.3.{i}",
                i % 2 == 0 ? NetworkUids.ExplicitVrLittleEndian : NetworkUids.ImplicitVrLittleEndian, data));
        }

        var responses = await client.SendAsync(TestContext.Current.CancellationToken);

        Assert.Equal(21, responses.Count);
        Assert.All(responses, r => Assert.Equal(DicomStatus.Success, r.Status));
        Assert.Equal(1, handler.Echoes);
        Assert.Equal(20, handler.Stores.Count);
        foreach (var store in handler.Stores)
        {
            Assert.Equal(sent[store.SopInstanceUid], store.DataSet);
            Assert.Equal("TEST_SCU", store.CallingAe);
        }
    }

    [Fact]
    public async Task Odd_length_data_set_gets_one_padding_byte()
    {
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler);
        var odd = RandomBytes(211, 7);

        await Client(server).AddRequest(new DicomCStoreRequest(CtImageStorage, "5.1", NetworkUids.DeflatedExplicitVrLittleEndian, odd))
            .SendAsync(TestContext.Current.CancellationToken);

        Assert.Equal([.. odd, 0], Assert.Single(handler.Stores).DataSet);
    }

    [Fact]
    public async Task Handler_status_and_comment_reach_the_client()
    {
        var handler = new RecordingStoreHandler
        {
            Answer = r => r.SopInstanceUid.EndsWith(".1") ? DicomStatus.OutOfResources.WithComment("disk full")
                : r.SopInstanceUid.EndsWith(".2") ? DicomStatus.DataSetDoesNotMatchSopClass
                : DicomStatus.CannotUnderstand,
        };
        await using var server = StartServer(handler);
        var client = Client(server);
        for (var i = 1; i <= 3; i++)
        {
            client.AddRequest(new DicomCStoreRequest(CtImageStorage, $"9.{i}", NetworkUids.ExplicitVrLittleEndian, new byte[10]));
        }

        var responses = await client.SendAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new DicomStatus(0xA700, "disk full"), responses[0].Status);
        Assert.Equal(0xA900, responses[1].Status.Code);
        Assert.Equal(0xC000, responses[2].Status.Code);
    }

    [Fact]
    public async Task Handler_exception_becomes_processing_failure_and_association_goes_on()
    {
        var handler = new RecordingStoreHandler { Answer = r => r.SopInstanceUid == "1.1" ? throw new IOException("boom") : DicomStatus.Success };
        await using var server = StartServer(handler);
        var responses = await Client(server)
            .AddRequest(new DicomCStoreRequest(CtImageStorage, "1.1", NetworkUids.ExplicitVrLittleEndian, new byte[4]))
            .AddRequest(new DicomCStoreRequest(CtImageStorage, "1.2", NetworkUids.ExplicitVrLittleEndian, new byte[4]))
            .SendAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0x0110, responses[0].Status.Code);
        Assert.Equal(DicomStatus.Success, responses[1].Status);
    }

    [Fact]
    public async Task Rejected_presentation_context_fails_only_its_request()
    {
        await using var server = StartServer(new RecordingStoreHandler());
        var responses = await Client(server)
            .AddRequest(new DicomCStoreRequest(CtImageStorage, "1.1", "1.2.3.4.5.6.unknown-ts", new byte[4]))
            .AddRequest(new DicomCStoreRequest("1.2.840.10008.5.1.4.1.2.1.1", "1.2", NetworkUids.ExplicitVrLittleEndian, new byte[4]))
            .AddRequest(new DicomCEchoRequest())
            .SendAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0x0122, responses[0].Status.Code);
        Assert.Contains("TransferSyntaxesNotSupported", responses[0].Status.ErrorComment);
        Assert.Contains("AbstractSyntaxNotSupported", responses[1].Status.ErrorComment);
        Assert.Equal(DicomStatus.Success, responses[2].Status);
    }

    [Fact]
    public async Task Wrong_called_ae_and_unlisted_calling_ae_are_rejected()
    {
        await using var server = StartServer(new RecordingStoreHandler(), o => o.AllowedCallingAeTitles = ["FRIEND"]);

        var wrongCalled = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() =>
            Client(server, calledAe: "SOMEONE", callingAe: "FRIEND").AddRequest(new DicomCEchoRequest()).SendAsync(TestContext.Current.CancellationToken));
        Assert.Equal(AssociationRejection.CalledAeTitleNotRecognized, wrongCalled.Rejection);

        var stranger = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() =>
            Client(server, callingAe: "STRANGER").AddRequest(new DicomCEchoRequest()).SendAsync(TestContext.Current.CancellationToken));
        Assert.Equal(AssociationRejection.CallingAeTitleNotRecognized, stranger.Rejection);

        var ok = await Client(server, callingAe: "FRIEND").AddRequest(new DicomCEchoRequest()).SendAsync(TestContext.Current.CancellationToken);
        Assert.Equal(DicomStatus.Success, ok[0].Status);
    }

    [Fact]
    public async Task Association_beyond_the_limit_is_rejected_with_local_limit_exceeded()
    {
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler, o => o.MaxAssociations = 2);
        // Two silent connections hold both slots (they sit in the ARTIM wait).
        await using var first = await RawAssociation.ConnectAsync(server.Port);
        await using var second = await RawAssociation.ConnectAsync(server.Port);
        await WaitUntilAsync(() => server.ActiveAssociations == 2);

        var error = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() =>
            Client(server).AddRequest(new DicomCEchoRequest()).SendAsync(TestContext.Current.CancellationToken));

        Assert.Equal(AssociationRejection.LocalLimitExceeded, error.Rejection);
        Assert.Equal(RejectResult.Transient, error.Rejection.Result);
    }

    [Fact]
    public async Task Concurrent_associations_are_served_in_parallel()
    {
        var handler = new RecordingStoreHandler { Delay = TimeSpan.FromMilliseconds(200) };
        await using var server = StartServer(handler, o => o.MaxAssociations = 8);
        var sends = Enumerable.Range(0, 8).Select(a =>
        {
            var client = Client(server, callingAe: $"SCU{a}");
            for (var i = 0; i < 5; i++)
            {
                client.AddRequest(new DicomCStoreRequest(CtImageStorage, $"2.{a}.{i}", NetworkUids.ExplicitVrLittleEndian, RandomBytes(5000, a * 10 + i)));
            }
            return client.SendAsync(TestContext.Current.CancellationToken);
        }).ToList();

        var results = await Task.WhenAll(sends);

        Assert.All(results.SelectMany(r => r), r => Assert.Equal(DicomStatus.Success, r.Status));
        Assert.Equal(40, handler.Stores.Count);
        Assert.Equal(8, handler.Stores.Select(s => s.CallingAe).Distinct().Count());
    }

    [Fact]
    public async Task Silent_connection_is_closed_by_the_artim_timer()
    {
        await using var server = StartServer(new RecordingStoreHandler(), o => o.ArtimTimeout = TimeSpan.FromMilliseconds(300));
        await using var silent = await RawAssociation.ConnectAsync(server.Port);

        var answer = await silent.ReadUntilClosedAsync(Generous);

        Assert.DoesNotContain(PduType.AssociateAccept, RawAssociation.PduTypes(answer));
        await WaitUntilAsync(() => server.ActiveAssociations == 0);
    }

    [Fact]
    public async Task Idle_association_is_aborted_after_the_idle_timeout()
    {
        await using var server = StartServer(new RecordingStoreHandler(), o => o.IdleTimeout = TimeSpan.FromMilliseconds(400));
        await using var idle = await RawAssociation.ConnectAsync(server.Port);
        await idle.SendAsync(EchoAssociationRequest("TEST_SCP"));

        var answer = await idle.ReadUntilClosedAsync(Generous);

        Assert.Equal([PduType.AssociateAccept, PduType.Abort], RawAssociation.PduTypes(answer));
    }

    [Fact]
    public async Task Peer_stalling_inside_a_pdu_is_aborted_after_the_idle_timeout()
    {
        await using var server = StartServer(new RecordingStoreHandler(), o => o.IdleTimeout = TimeSpan.FromMilliseconds(400));
        await using var staller = await RawAssociation.ConnectAsync(server.Port);
        await staller.SendAsync(EchoAssociationRequest("TEST_SCP"));
        // A P-DATA-TF header announcing 1000 bytes, then only 10 of them.
        await staller.SendAsync([4, 0, 0, 0, 0x03, 0xE8, 0, 0, 0x03, 0xE4, 1, 3, 0, 0, 0, 0]);

        var answer = await staller.ReadUntilClosedAsync(Generous);

        Assert.Equal([PduType.AssociateAccept, PduType.Abort], RawAssociation.PduTypes(answer));
    }

    [Fact]
    public async Task Connection_flood_beyond_twice_the_limit_is_closed_and_the_server_recovers()
    {
        await using var server = StartServer(new RecordingStoreHandler(), o =>
        {
            o.MaxAssociations = 2;
            o.ArtimTimeout = TimeSpan.FromMilliseconds(500);
        });
        var flood = new List<RawAssociation>();
        var resetAtConnect = 0;
        for (var i = 0; i < 10; i++)
        {
            try
            {
                flood.Add(await RawAssociation.ConnectAsync(server.Port));
            }
            catch (System.Net.Sockets.SocketException)
            {
                resetAtConnect++; // closed by the server before the client saw its connect complete
            }
        }
        try
        {
            // The first two hold both slots, the next two wait for their A-ASSOCIATE-RQ (to be told "local limit
            // exceeded"), the rest are closed at once. The silent ones end with the ARTIM timer (an A-ABORT at most).
            Assert.True(flood.Count >= 4, $"{resetAtConnect} connections reset before the limit was reached");
            var answers = await Task.WhenAll(flood.Select(c => c.ReadUntilClosedAsync(Generous)));
            Assert.All(answers, a => Assert.True(a.Length == 0 || RawAssociation.PduTypes(a) is [PduType.Abort]));
            Assert.True(answers.Count(a => a.Length == 0) + resetAtConnect >= 6, "connections past twice the limit were not closed at once");
        }
        finally
        {
            foreach (var connection in flood)
            {
                await connection.DisposeAsync();
            }
        }
        await WaitUntilAsync(() => server.ActiveAssociations == 0);
        var echo = await Client(server).AddRequest(new DicomCEchoRequest()).SendAsync(TestContext.Current.CancellationToken);
        Assert.Equal(DicomStatus.Success, echo[0].Status);
    }

    [Fact]
    public async Task Absurd_pdu_length_is_aborted_without_allocating_it()
    {
        await using var server = StartServer(new RecordingStoreHandler());
        await using var bomb = await RawAssociation.ConnectAsync(server.Port);
        await bomb.SendAsync(EchoAssociationRequest("TEST_SCP"));
        await bomb.SendAsync([4, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);

        var answer = await bomb.ReadUntilClosedAsync(Generous);

        var types = RawAssociation.PduTypes(answer);
        Assert.Equal(PduType.Abort, types[^1]);
        Assert.Equal((byte)AbortReason.InvalidPduParameterValue, answer[^1]);
    }

    [Fact]
    public async Task Garbage_instead_of_an_association_request_is_aborted()
    {
        await using var server = StartServer(new RecordingStoreHandler());
        await using var garbage = await RawAssociation.ConnectAsync(server.Port);
        await garbage.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        var answer = await garbage.ReadUntilClosedAsync(Generous);

        Assert.Equal([PduType.Abort], RawAssociation.PduTypes(answer));
        Assert.Equal((byte)AbortReason.UnrecognizedPdu, answer[^1]);
    }

    [Fact]
    public async Task Oversized_data_set_is_answered_out_of_resources_and_small_limit_spills_to_disk()
    {
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler, o =>
        {
            o.MaxDataSetLength = 100_000;
            o.InMemoryDataSetLimit = 10_000;
        });
        var big = RandomBytes(150_000, 1);
        var spilled = RandomBytes(60_000, 2);

        var responses = await Client(server)
            .AddRequest(new DicomCStoreRequest(CtImageStorage, "3.1", NetworkUids.ExplicitVrLittleEndian, big))
            .AddRequest(new DicomCStoreRequest(CtImageStorage, "3.2", NetworkUids.ExplicitVrLittleEndian, spilled))
            .SendAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0xA700, responses[0].Status.Code);
        Assert.Equal(DicomStatus.Success, responses[1].Status);
        Assert.Equal(spilled, Assert.Single(handler.Stores).DataSet);
    }

    [Fact]
    public async Task Stopping_the_server_closes_open_associations()
    {
        var server = StartServer(new RecordingStoreHandler(), o => o.IdleTimeout = TimeSpan.FromMinutes(5));
        await using var open = await RawAssociation.ConnectAsync(server.Port);
        await open.SendAsync(EchoAssociationRequest("TEST_SCP"));
        await WaitUntilAsync(() => server.ActiveAssociations == 1);

        await server.DisposeAsync();
        var answer = await open.ReadUntilClosedAsync(Generous);

        Assert.Equal(PduType.Abort, RawAssociation.PduTypes(answer)[^1]);
        Assert.Equal(0, server.ActiveAssociations);
    }

    [Fact]
    public async Task Release_is_answered_and_peer_abort_is_honoured()
    {
        await using var server = StartServer(new RecordingStoreHandler());
        await using (var releasing = await RawAssociation.ConnectAsync(server.Port))
        {
            await releasing.SendAsync(EchoAssociationRequest("TEST_SCP"));
            await releasing.SendAsync(AssociationCodec.EncodeReleaseRequest());
            Assert.Equal([PduType.AssociateAccept, PduType.ReleaseResponse],
                RawAssociation.PduTypes(await releasing.ReadUntilClosedAsync(Generous)));
        }
        await using var aborting = await RawAssociation.ConnectAsync(server.Port);
        await aborting.SendAsync(EchoAssociationRequest("TEST_SCP"));
        await aborting.SendAsync(AssociationCodec.EncodeAbort(AbortSource.ServiceUser, AbortReason.NotSpecified));
        Assert.Equal([PduType.AssociateAccept], RawAssociation.PduTypes(await aborting.ReadUntilClosedAsync(Generous)));
    }

    [Fact]
    public async Task Client_times_out_on_a_silent_scp()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var client = new DicomClient("127.0.0.1", port, "SCU", "SCP",
            new DicomClientOptions { AssociationTimeout = TimeSpan.FromMilliseconds(300) }).AddRequest(new DicomCEchoRequest());

        await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync(TestContext.Current.CancellationToken));
    }

    internal static byte[] EchoAssociationRequest(string calledAe)
    {
        var request = new AssociationRequest { CalledAeTitle = calledAe, CallingAeTitle = "RAW", MaxPduLength = 16384 };
        request.PresentationContexts.Add(new PresentationContextProposal(1, NetworkUids.Verification, [NetworkUids.ImplicitVrLittleEndian]));
        return AssociationCodec.EncodeRequest(request);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        Assert.True(condition(), "condition not reached within 10 s");
    }
}

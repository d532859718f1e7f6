using System.Buffers.Binary;
using System.Net;
using Halflife.Dicom.Network.Tests.Infrastructure;

namespace Halflife.Dicom.Network.Tests;

/// <summary>
/// Records a real storescu association, then replays thousands of corrupted copies (truncated, bit-flipped,
/// length-bombed, garbage-spliced) at our SCP. Every replay must end (the SCP closes the connection) within a bound,
/// the SCP must stay healthy, and nothing may crash.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MutationTests
{
    private const int Variants = 2000;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public enum Outcome { Released, Aborted, Rejected, Closed }

    [Fact]
    public async Task Corrupted_storescu_streams_end_in_abort_reject_or_failure_and_never_hang()
    {
        var recording = await RecordStorescuAssociationAsync();
        var pduStarts = PduOffsets(recording);
        Assert.True(pduStarts.Count >= 4, "recording should hold A-ASSOCIATE-RQ, P-DATA PDUs and A-RELEASE-RQ");

        var handler = new RecordingStoreHandler();
        await using var server = DicomServer.Start(IPAddress.Loopback, 0, handler, new DicomServerOptions
        {
            AeTitle = "HALFLIFE_TEST",
            MaxAssociations = 16,
            ArtimTimeout = TimeSpan.FromSeconds(3),
            IdleTimeout = TimeSpan.FromSeconds(3),
            MaxPduLength = 16384,
        });

        // The untouched recording replays cleanly: stored instances and an orderly release.
        var clean = await ReplayAsync(server.Port, recording);
        Assert.Equal(Outcome.Released, clean.Outcome);
        var cleanStores = handler.Stores.Count;
        Assert.True(cleanStores >= 2);

        var random = new Random(20261121);
        var variants = Enumerable.Range(0, Variants).Select(i => Mutate(recording, pduStarts, random, i)).ToList();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<Outcome, int>();
        var releasedLengthBombs = 0;
        await Parallel.ForEachAsync(variants, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (variant, _) =>
        {
            var result = await ReplayAsync(server.Port, variant.Bytes);
            outcomes.AddOrUpdate(result.Outcome, 1, (_, n) => n + 1);
            if (variant.Kind == "pdu-length" && result.Outcome == Outcome.Released)
            {
                Interlocked.Increment(ref releasedLengthBombs);
            }
        });
        // A PDU declaring more than the negotiated maximum must always end the association.
        Assert.Equal(0, releasedLengthBombs);

        // Structural damage (PDU headers, lengths, association items) must never end in an orderly release of a
        // complete exchange; byte flips inside pixel data legitimately can.
        Assert.Equal(Variants, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault(Outcome.Aborted) > Variants / 10, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(Outcome.Released) < Variants, Describe(outcomes));

        // Still healthy: nothing left open and an echo goes through.
        for (var i = 0; i < 200 && server.ActiveAssociations > 0; i++)
        {
            await Task.Delay(25, Ct);
        }
        Assert.Equal(0, server.ActiveAssociations);
        var echo = await new DicomClient("127.0.0.1", server.Port, "AFTER", "HALFLIFE_TEST").AddRequest(new DicomCEchoRequest()).SendAsync(Ct);
        Assert.Equal(DicomStatus.Success, echo[0].Status);
        TestContext.Current.SendDiagnosticMessage(Describe(outcomes));
    }

    private static string Describe(IDictionary<Outcome, int> outcomes) =>
        string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"));

    private static async Task<byte[]> RecordStorescuAssociationAsync()
    {
        var storescu = TestEnvironment.RequireTool("storescu");
        var handler = new RecordingStoreHandler();
        await using var server = DicomServer.Start(IPAddress.Loopback, 0, handler, new DicomServerOptions { AeTitle = "HALFLIFE_TEST" });
        using var proxy = new RecordingProxy(server.Port);
        string[] files = ["MR_small_implicit.dcm", "rtdose.dcm", "chrRuss.dcm"];
        var result = await ExternalProcess.RunAsync(storescu,
            ["-aec", "HALFLIFE_TEST", "-pdu", "8192", "127.0.0.1", proxy.Port.ToString(), .. files.Select(TestEnvironment.DicomFile)],
            TimeSpan.FromMinutes(1), Ct);
        Assert.True(result.ExitCode == 0, result.Output);
        return await proxy.ClientBytesAsync(TimeSpan.FromSeconds(10));
    }

    private sealed record Variant(string Kind, byte[] Bytes);

    private static Variant Mutate(byte[] original, List<int> pduStarts, Random random, int index)
    {
        var bytes = (byte[])original.Clone();
        var pdu = pduStarts[random.Next(pduStarts.Count)];
        switch (index % 7)
        {
            case 0:
                return new("truncate", bytes[..random.Next(1, bytes.Length)]);
            case 1:
                for (var flips = random.Next(1, 5); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return new("flip", bytes);
            case 2:
                // PDU length bomb: the classic "declare 4 GB, send 10 bytes".
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(pdu + 2), random.Next(3) switch
                {
                    0 => 0xFFFFFFFF,
                    1 => 0x7FFFFFFF,
                    _ => (uint)random.Next(),
                });
                return new("pdu-length", bytes);
            case 3:
                // PDV item length or association item length (first bytes of the body) bomb.
                var at = pdu + 6 + random.Next(0, 16);
                if (at + 4 <= bytes.Length)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), (uint)random.Next());
                }
                return new("item-length", bytes);
            case 4:
                var position = random.Next(bytes.Length);
                var garbage = new byte[random.Next(1, 64)];
                random.NextBytes(garbage);
                return new("splice", [.. bytes.AsSpan(0, position), .. garbage, .. bytes.AsSpan(position)]);
            case 5:
                bytes[pdu] = (byte)random.Next(256);
                return new("pdu-type", bytes);
            default:
                // Damage inside the A-ASSOCIATE-RQ: AE titles, item types, UID lengths.
                var offset = random.Next(6, Math.Min(bytes.Length, 6 + (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2))));
                bytes[offset] = (byte)random.Next(256);
                return new("association", bytes);
        }
    }

    private static async Task<(Outcome Outcome, byte[] Answer)> ReplayAsync(int port, byte[] stream)
    {
        await using var peer = await RawAssociation.ConnectAsync(port);
        try
        {
            await peer.SendAsync(stream);
            peer.FinishSending();
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            // The SCP aborted and closed before we finished sending: that is one of the expected endings.
        }
        var answer = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        var types = RawAssociation.PduTypes(answer);
        var outcome = types.Count == 0 ? Outcome.Closed
            : types[^1] switch
            {
                PduType.ReleaseResponse => Outcome.Released,
                PduType.Abort => Outcome.Aborted,
                PduType.AssociateReject => Outcome.Rejected,
                _ => Outcome.Closed,
            };
        return (outcome, answer);
    }

    private static List<int> PduOffsets(byte[] stream)
    {
        var offsets = new List<int>();
        for (var at = 0; at + 6 <= stream.Length; at += 6 + (int)BinaryPrimitives.ReadUInt32BigEndian(stream.AsSpan(at + 2)))
        {
            offsets.Add(at);
        }
        return offsets;
    }
}

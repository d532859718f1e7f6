using System.Buffers;
using System.Buffers.Binary;

namespace Halflife.Dicom.Network;

/// <summary>
/// Sends a DIMSE message as P-DATA-TF PDUs, one PDV per PDU, each no larger than the peer's maximum length
/// (PS3.8 9.3.5 / annex D). The command and the data set are fragmented separately because a PDV never mixes them.
/// </summary>
internal static class MessageWriter
{
    /// <summary>Fragment size when the peer declared "no limit" (0): large enough for throughput, small enough for memory.</summary>
    public const int UnlimitedFragmentSize = 1024 * 1024;

    public static async Task WriteAsync(Stream stream, byte contextId, DimseCommand command, Stream? dataSet,
        uint peerMaxPduLength, CancellationToken cancellationToken)
    {
        // The PDU's variable field holds the 4-byte item length and the 2-byte PDV header besides the fragment.
        // Fragments are kept even: DICOM values are even-length, and receivers such as DCMTK refuse odd PDVs.
        var maxFragment = peerMaxPduLength == 0 ? UnlimitedFragmentSize : (int)Math.Clamp(peerMaxPduLength - 6L, 2, UnlimitedFragmentSize) & ~1;
        var buffer = ArrayPool<byte>.Shared.Rent(maxFragment + 12);
        try
        {
            var encoded = command.Encode();
            for (var at = 0; at < encoded.Length; at += maxFragment)
            {
                var count = Math.Min(maxFragment, encoded.Length - at);
                encoded.AsSpan(at, count).CopyTo(buffer.AsSpan(12));
                var last = at + count == encoded.Length;
                await WritePdvAsync(stream, buffer, contextId, isCommand: true, last, count, cancellationToken).ConfigureAwait(false);
            }
            if (dataSet is null)
            {
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            // Read one fragment ahead so the final PDV can carry the "last" flag without knowing the length up front.
            var pending = await FillAsync(dataSet, buffer.AsMemory(12, maxFragment), cancellationToken).ConfigureAwait(false);
            var next = ArrayPool<byte>.Shared.Rent(maxFragment + 12);
            try
            {
                while (true)
                {
                    var following = pending < maxFragment ? 0
                        : await FillAsync(dataSet, next.AsMemory(12, maxFragment), cancellationToken).ConfigureAwait(false);
                    var last = following == 0;
                    if (last && pending % 2 == 1)
                    {
                        // An odd-length data set only occurs with a deflated bitstream, whose padding PS3.5 A.5
                        // defines as one trailing NUL byte.
                        buffer[12 + pending] = 0;
                        pending++;
                    }
                    await WritePdvAsync(stream, buffer, contextId, isCommand: false, last, pending, cancellationToken).ConfigureAwait(false);
                    if (last)
                    {
                        break;
                    }
                    (buffer, next) = (next, buffer);
                    pending = following;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(next);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the PDU header and PDV header into the 12 bytes reserved before the fragment, then sends.</summary>
    private static Task WritePdvAsync(Stream stream, byte[] buffer, byte contextId, bool isCommand, bool isLast, int count,
        CancellationToken cancellationToken)
    {
        buffer[0] = (byte)PduType.PData;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)(count + 6));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(6), (uint)(count + 2));
        buffer[10] = contextId;
        buffer[11] = (byte)((isCommand ? 0x01 : 0x00) | (isLast ? 0x02 : 0x00));
        return stream.WriteAsync(buffer, 0, count + 12, cancellationToken);
    }

    private static async ValueTask<int> FillAsync(Stream source, Memory<byte> target, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < target.Length)
        {
            var read = await source.ReadAsync(target[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}

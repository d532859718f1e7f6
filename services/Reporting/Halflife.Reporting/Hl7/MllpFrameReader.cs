namespace Halflife.Reporting.Hl7;

public enum MllpFrameKind { Message, Closed, NoStartBlock, TooLarge, TimedOut }

public readonly record struct MllpFrame(MllpFrameKind Kind, ReadOnlyMemory<byte> Payload, string? Problem = null);

/// <summary>
/// Reads MLLP frames with bounded memory and time. Bytes outside a frame (anything but whitespace before
/// &lt;VT&gt;) are collected up to &lt;FS&gt; and reported as <see cref="MllpFrameKind.NoStartBlock"/> so they can be
/// answered; &lt;FS&gt; without the following &lt;CR&gt; is accepted, as several senders omit it.
/// </summary>
public sealed class MllpFrameReader(Stream stream, int maxBytes, TimeSpan idleTimeout, TimeSpan messageTimeout)
{
    private const byte StartBlock = 0x0B;
    private const byte EndBlock = 0x1C;
    private const byte CarriageReturn = 0x0D;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _position;
    private int _length;

    public async Task<MllpFrame> ReadAsync(CancellationToken ct)
    {
        var payload = new MemoryStream();
        var inFrame = false;
        var stray = false;
        DateTime? frameDeadline = null;
        while (true)
        {
            if (_position == _length)
            {
                var timeout = frameDeadline is { } d ? d - DateTime.UtcNow : idleTimeout;
                if (timeout <= TimeSpan.Zero)
                    return new MllpFrame(MllpFrameKind.TimedOut, payload.ToArray(), $"The frame was not complete within {messageTimeout.TotalSeconds:0} s.");
                int read;
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    deadline.CancelAfter(timeout);
                    try
                    {
                        read = await stream.ReadAsync(_buffer, deadline.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        if (frameDeadline is null && payload.Length == 0) return new MllpFrame(MllpFrameKind.Closed, default);
                        return new MllpFrame(MllpFrameKind.TimedOut, payload.ToArray(), $"The frame was not complete within {messageTimeout.TotalSeconds:0} s.");
                    }
                }
                if (read == 0) return new MllpFrame(MllpFrameKind.Closed, default);
                _position = 0;
                _length = read;
            }
            var b = _buffer[_position++];
            if (!inFrame && !stray)
            {
                if (b == StartBlock)
                {
                    inFrame = true;
                    frameDeadline = DateTime.UtcNow + messageTimeout;
                }
                else if (b == CarriageReturn || b == (byte)'\n' || b == (byte)' ' || b == (byte)'\t')
                {
                    // whitespace between frames (the CR after FS of a sender that sent it late)
                }
                else
                {
                    stray = true;
                    frameDeadline = DateTime.UtcNow + messageTimeout;
                    payload.WriteByte(b);
                }
                continue;
            }
            if (b == EndBlock)
            {
                if (_position < _length && _buffer[_position] == CarriageReturn) _position++;
                return stray
                    ? new MllpFrame(MllpFrameKind.NoStartBlock, payload.ToArray(), "The frame does not start with <VT> (0x0B).")
                    : new MllpFrame(MllpFrameKind.Message, payload.ToArray());
            }
            if (b == StartBlock)
            {
                // A new frame began before the old one ended: the old one is lost; answer it and go on with the new.
                _position--;
                return new MllpFrame(MllpFrameKind.NoStartBlock, payload.ToArray(), "The frame ended without <FS> before a new <VT>.");
            }
            if (payload.Length >= maxBytes)
                return new MllpFrame(MllpFrameKind.TooLarge, payload.ToArray(), $"The message is larger than {maxBytes} bytes.");
            payload.WriteByte(b);
        }
    }
}

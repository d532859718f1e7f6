using System.Net.Sockets;
using System.Text;

namespace Halflife.Reporting.Tests.Service;

/// <summary>Our own MLLP peer: sends well-formed and broken frames and reads the answer.</summary>
internal sealed class MllpTestClient : IDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;

    public static async Task<MllpTestClient> ConnectAsync(int port)
    {
        var client = new MllpTestClient();
        await client._tcp.ConnectAsync("127.0.0.1", port);
        client._stream = client._tcp.GetStream();
        return client;
    }

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public async Task<byte[]> SendFrameAsync(byte[] message)
    {
        await SendRawAsync([0x0B, .. message, 0x1C, 0x0D]);
        return await ReadFrameAsync();
    }

    public async Task<string> SendAsync(string message, Encoding? encoding = null)
    {
        encoding ??= Encoding.UTF8;
        return encoding.GetString(await SendFrameAsync(encoding.GetBytes(message)));
    }

    public async Task<byte[]> ReadFrameAsync(int timeoutSeconds = 30)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var buffer = new MemoryStream();
        var one = new byte[1];
        while (true)
        {
            var read = await _stream.ReadAsync(one, deadline.Token);
            if (read == 0) throw new EndOfStreamException("The listener closed the connection without an answer.");
            if (one[0] == 0x0B) continue;
            if (one[0] == 0x1C)
            {
                await _stream.ReadExactlyAsync(one, deadline.Token); // CR
                return buffer.ToArray();
            }
            buffer.WriteByte(one[0]);
        }
    }

    /// <summary>True when the listener closed the connection (read returns 0 or the socket resets) within the time.</summary>
    public async Task<bool> IsClosedByPeerAsync(TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        try
        {
            var buffer = new byte[256];
            while (true)
            {
                if (await _stream.ReadAsync(buffer, deadline.Token) == 0) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _tcp.Dispose();
}

/// <summary>ORU^R01 messages as hospital systems write them.</summary>
internal static class Oru
{
    public static string Message(string controlId, string accession, string patientId, string examDate, string[] obxLines,
        string status = "F", string charset = "UNICODE UTF-8", char field = '|', string encoding = "^~\\&")
    {
        var f = field;
        var c = encoding[0];
        var sb = new StringBuilder();
        sb.Append($"MSH{f}{encoding}{f}RIS{f}SNUH{f}HALFLIFE{f}REPORTING{f}20261101120000{f}{f}ORU{c}R01{c}ORU_R01{f}{controlId}{f}P{f}2.5.1{f}{f}{f}{f}{f}{f}{charset}\r");
        sb.Append($"PID{f}1{f}{f}{patientId}{c}{c}{c}HOSP{c}MR{f}{f}홍{c}길동\r");
        sb.Append($"OBR{f}1{f}{f}{accession}{f}NMWB{c}Bone scan whole body{f}{f}{f}{examDate}{f}{f}{f}{f}{f}{f}{f}{f}{f}{f}{f}{accession}{f}{f}{f}{f}{f}{f}{f}{status}{f}{f}{f}{f}{f}{f}{f}1234&Kim&Radiologist\r");
        for (var i = 0; i < obxLines.Length; i++)
            sb.Append($"OBX{f}{i + 1}{f}TX{f}{c}GDT{f}{i + 1}{f}{obxLines[i]}{f}{f}{f}{f}{f}{f}{status}\r");
        return sb.ToString();
    }

    /// <summary>MSA-1 and MSA-2 of an acknowledgement.</summary>
    public static (string Code, string ControlId, string Text) Msa(string ack)
    {
        var msa = ack.Split('\r').First(s => s.StartsWith("MSA", StringComparison.Ordinal)).Split(ack[3]);
        return (msa[1], msa.Length > 2 ? msa[2] : "", msa.Length > 3 ? msa[3] : "");
    }

    public static string? ErrCode(string ack) =>
        ack.Split('\r').FirstOrDefault(s => s.StartsWith("ERR", StringComparison.Ordinal))?.Split(ack[3])[3].Split(ack[4])[0];
}

using System.Text;
using Halflife.Reporting.Intake;

namespace Halflife.Reporting.Hl7;

/// <summary>
/// Turns one MLLP frame into a stored report and its acknowledgement. Never throws: every failure becomes an AE or
/// AR with the reason in MSA-3 and ERR, because a listener that drops the connection makes the sender resend forever.
/// </summary>
public sealed class Hl7Receiver(IServiceScopeFactory scopes, ReportingMetrics metrics, Microsoft.Extensions.Options.IOptions<ReportingOptions> options,
    ILogger<Hl7Receiver> logger)
{
    private Hl7Options Settings => options.Value.Hl7;

    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        Hl7Message? message = null;
        Encoding answerEncoding = Encoding.UTF8;
        string code, text;
        string? error = null;
        try
        {
            var (decoded, encoding) = Hl7Encoding.Decode(payload.Span, Settings.FallbackEncoding);
            answerEncoding = encoding;
            message = Hl7Message.Parse(decoded);
            var submission = OruReportMapper.Map(message);
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ReportIntake>().SubmitAsync(submission, ct);
            code = Hl7Acknowledgement.Accept;
            text = $"{result.Outcome} report {result.ReportId} v{result.Version}";
        }
        catch (Hl7FormatException e)
        {
            // Structure, type, version and character set problems are rejections; a missing field is a content error.
            code = e.ErrorCode is "101" or "102" && message is not null ? Hl7Acknowledgement.Error : Hl7Acknowledgement.Reject;
            text = e.Message;
            error = e.ErrorCode;
        }
        catch (ReportRejectedException e)
        {
            code = Hl7Acknowledgement.Error;
            text = e.Message;
            error = "207";
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "HL7 message could not be stored");
            code = Hl7Acknowledgement.Error;
            text = "The report could not be stored; send it again later.";
            error = "207";
        }
        metrics.Hl7Answered(code);
        if (code != Hl7Acknowledgement.Accept)
            logger.LogWarning("HL7 message {ControlId} answered {Code}: {Reason}", message?.Get("MSH", 10), code, text);
        return answerEncoding.GetBytes(Hl7Acknowledgement.Build(message, code, text, error, Settings.ApplicationName, Settings.FacilityName));
    }

    /// <summary>The answer to bytes that never formed a frame (oversize, no start block): parsed if possible.</summary>
    public byte[] Reject(ReadOnlySpan<byte> partial, string reason)
    {
        Hl7Message? message = null;
        try
        {
            message = Hl7Message.Parse(Encoding.Latin1.GetString(partial[..Math.Min(partial.Length, 4096)]).Split('\r')[0]);
        }
        catch (Hl7FormatException)
        {
            // nothing readable: answer without echoing a control id
        }
        metrics.Hl7Answered(Hl7Acknowledgement.Reject);
        logger.LogWarning("HL7 frame rejected: {Reason}", reason);
        return Encoding.UTF8.GetBytes(Hl7Acknowledgement.Build(message, Hl7Acknowledgement.Reject, reason, "100",
            Settings.ApplicationName, Settings.FacilityName));
    }
}

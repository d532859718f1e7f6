using System.Text;
using Halflife.Reporting.Intake;

namespace Halflife.Reporting.Hl7;

/// <summary>
/// Reads a report out of an ORU^R01: patient (PID-3), order (OBR-18 placer field 1, where IHE Radiology puts the
/// accession number, else OBR-3 filler order number), exam date (OBR-7), result status (OBR-25), interpreter
/// (OBR-32) and the text of the OBX segments with a text value type, in order.
/// </summary>
public static class OruReportMapper
{
    private static readonly HashSet<string> TextValueTypes = ["TX", "FT", "ST", "CF"];

    public static ReportSubmission Map(Hl7Message message)
    {
        var msh = message.Segment("MSH") ?? throw new Hl7FormatException("No MSH segment.", "100");
        var type = msh.Get(9, 1);
        var trigger = msh.Get(9, 2);
        if (type != "ORU" || trigger != "R01")
            throw new Hl7FormatException($"Message type {type}^{trigger} is not accepted here; send ORU^R01.", "200");
        var version = msh.Get(12);
        if (version is null || !version.StartsWith("2.", StringComparison.Ordinal))
            throw new Hl7FormatException($"HL7 version '{version}' is not supported (2.x).", "203");
        var controlId = msh.Get(10) ?? throw new Hl7FormatException("MSH-10 (message control id) is empty.", "101");

        var pid = message.Segment("PID");
        var obr = message.Segment("OBR") ?? throw new Hl7FormatException("The ORU^R01 has no OBR segment.", "101");
        var patientId = pid?.Get(3, 1);
        var accession = obr.Get(18, 1) ?? obr.Get(3, 1);
        var examDate = obr.Get(7, 1) ?? obr.Get(6, 1);
        var status = obr.Get(25, 1) ?? "F";
        var author = obr.Get(32, 1) is { } interpreter ? Hl7Name(interpreter, message.Delimiters.Subcomponent) : null;

        var text = new StringBuilder();
        foreach (var obx in message.Segments("OBX"))
        {
            var valueType = obx.Get(2) ?? "";
            if (!TextValueTypes.Contains(valueType)) continue;
            // OBX-5 repetitions of TX are lines of one text; components of a text are not split (ST has none).
            foreach (var repetition in obx.Repetitions(5))
            {
                var line = Hl7Escaping.Unescape(repetition, message.Delimiters);
                text.Append(line).Append('\n');
            }
        }
        if (text.ToString().Trim().Length == 0)
            throw new Hl7FormatException("No OBX segment with report text (value type TX, FT or ST).", "101");
        if (accession is null && (patientId is null || examDate is null))
            throw new Hl7FormatException("Neither an accession number (OBR-18/OBR-3) nor a patient ID (PID-3) with an exam date (OBR-7).", "101");

        string? studyDate = null;
        if (examDate is not null)
        {
            try
            {
                studyDate = ReportIntake.NormaliseDate(examDate);
            }
            catch (ReportRejectedException e)
            {
                throw new Hl7FormatException("OBR-7: " + e.Message, "102");
            }
        }
        return new ReportSubmission(text.ToString(), ReportSources.Hl7, accession, patientId, studyDate, controlId, status, Author: author);
    }

    private static string Hl7Name(string first, char subcomponent)
    {
        // OBR-32 is NDL: the first component is a CNN whose subcomponents are id&family&given.
        var parts = first.Split(subcomponent);
        var names = parts.Skip(1).Take(2).Where(p => p.Length > 0).ToList();
        return names.Count > 0 ? string.Join(' ', names) : parts[0];
    }
}

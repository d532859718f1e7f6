namespace Halflife.Reporting.Hl7;

/// <summary>
/// An HL7 v2 message in ER7 (pipe) encoding, decoded to text. Separators come from MSH-1 and MSH-2, so a sender that
/// uses other delimiters than |^~\&amp; is read correctly. Values are unescaped on access (<see cref="Hl7Escaping"/>).
/// </summary>
public sealed class Hl7Message
{
    private readonly List<string[]> _segments;

    private Hl7Message(Hl7Delimiters delimiters, List<string[]> segments)
    {
        Delimiters = delimiters;
        _segments = segments;
    }

    public Hl7Delimiters Delimiters { get; }

    public IEnumerable<string> SegmentNames => _segments.Select(s => s[0]);

    /// <exception cref="Hl7FormatException">The text is not an HL7 v2 message.</exception>
    public static Hl7Message Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = text.IndexOf("MSH", StringComparison.Ordinal);
        if (start < 0 || text[..start].Trim().Length > 0)
            throw new Hl7FormatException("The message does not start with an MSH segment.", "100");
        text = text[start..];
        if (text.Length < 8) throw new Hl7FormatException("The MSH segment is too short to hold its delimiters.", "100");
        var field = text[3];
        var encodingEnd = text.IndexOf(field, 4);
        if (encodingEnd < 0) throw new Hl7FormatException("MSH-2 (encoding characters) is not terminated.", "102");
        var encoding = text[4..encodingEnd];
        if (encoding.Length < 4 || char.IsLetterOrDigit(field) || encoding.Any(char.IsLetterOrDigit) || encoding.Contains(field)
            || encoding.Distinct().Count() != encoding.Length)
            throw new Hl7FormatException($"MSH-1/MSH-2 do not define usable delimiters ('{field}', '{encoding}').", "102");
        var delimiters = new Hl7Delimiters(field, encoding[0], encoding[1], encoding[2], encoding[3]);

        var segments = new List<string[]>();
        foreach (var line in text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Trim().Length == 0) continue;
            var parts = line.Split(field);
            if (parts[0].Length != 3 || !parts[0].All(char.IsAsciiLetterOrDigit))
                throw new Hl7FormatException($"'{Truncate(parts[0])}' is not a segment name.", "100");
            if (parts[0] == "MSH")
            {
                // MSH-1 is the field separator itself: shift so that index n is MSH-n for every segment.
                parts = ["MSH", field.ToString(), .. parts[1..]];
            }
            segments.Add(parts);
        }
        return new Hl7Message(delimiters, segments);
    }

    /// <summary>The segments with this name, in order.</summary>
    public IEnumerable<Hl7Segment> Segments(string name) =>
        _segments.Where(s => s[0] == name).Select(s => new Hl7Segment(s, Delimiters));

    public Hl7Segment? Segment(string name) => Segments(name).FirstOrDefault();

    /// <summary>A component of the first repetition of a field of the first segment with this name, unescaped.</summary>
    public string? Get(string segment, int field, int component = 1) => Segment(segment)?.Get(field, component);

    private static string Truncate(string s) => s.Length > 20 ? s[..20] + "…" : s;
}

public readonly record struct Hl7Delimiters(char Field, char Component, char Repetition, char Escape, char Subcomponent)
{
    public static readonly Hl7Delimiters Default = new('|', '^', '~', '\\', '&');
    public string EncodingCharacters => $"{Component}{Repetition}{Escape}{Subcomponent}";
}

public sealed class Hl7Segment(string[] fields, Hl7Delimiters delimiters)
{
    public string Name => fields[0];

    /// <summary>The raw (escaped) field, all repetitions; empty when absent.</summary>
    public string Raw(int field) => field < fields.Length ? fields[field] : "";

    /// <summary>Each repetition of a field, raw.</summary>
    public IReadOnlyList<string> Repetitions(int field)
    {
        var raw = Raw(field);
        if (Name == "MSH" && field <= 2) return [raw];
        return raw.Length == 0 ? [] : raw.Split(delimiters.Repetition);
    }

    /// <summary>Component (1-based) of repetition (1-based), without subcomponent splitting, unescaped; null when empty.</summary>
    public string? Get(int field, int component = 1, int repetition = 1)
    {
        var reps = Repetitions(field);
        if (repetition > reps.Count) return null;
        var value = reps[repetition - 1];
        if (!(Name == "MSH" && field <= 2))
        {
            var components = value.Split(delimiters.Component);
            value = component <= components.Length ? components[component - 1] : "";
        }
        var text = Hl7Escaping.Unescape(value, delimiters);
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}

/// <summary>The message cannot be read; <see cref="ErrorCode"/> is an HL7 table 0357 code for ERR-3.</summary>
public sealed class Hl7FormatException(string message, string errorCode) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}

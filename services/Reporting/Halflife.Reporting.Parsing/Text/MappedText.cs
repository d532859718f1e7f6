using System.Text;

namespace Halflife.Reporting.Parsing.Text;

/// <summary>
/// Normalised report text that remembers, for every character, where it came from in the original.
/// All matching runs on <see cref="Value"/> (lower case, NFC, ASCII punctuation); every span handed to
/// callers is mapped back so it highlights exactly what the radiologist wrote, even when normalisation
/// composed Hangul jamo, replaced full-width characters or corrected a typo (which change lengths).
/// </summary>
internal sealed class MappedText
{
    private readonly int[] _toSource; // _toSource[i] = source index of Value[i]; last entry = source length

    public string Source { get; }
    /// <summary>Normalised text with the original letter case (sentence splitting needs case).</summary>
    public string Cased { get; }
    /// <summary>Normalised, lower-cased text; same length as <see cref="Cased"/>.</summary>
    public string Value { get; }

    private MappedText(string source, string cased, int[] toSource)
    {
        Source = source;
        Cased = cased;
        Value = cased.ToLowerInvariant();
        _toSource = toSource;
        if (Value.Length != Cased.Length)
            throw new InvalidOperationException("Lower-casing changed the text length; offsets would be wrong.");
    }

    public int Length => Value.Length;

    public int ToSourceIndex(int index) => _toSource[Math.Clamp(index, 0, _toSource.Length - 1)];

    public TextSpan ToSpan(int start, int end)
    {
        var s = ToSourceIndex(start);
        var e = Math.Max(s, ToSourceIndex(end));
        return new TextSpan(s, e - s, Source.Substring(s, e - s));
    }

    /// <summary>Builds text piece by piece; each piece records the source range it replaces.</summary>
    internal sealed class Builder(string source)
    {
        private readonly StringBuilder _text = new();
        private readonly List<int> _map = [];

        public void Append(string output, int sourceStart, int sourceLength)
        {
            // Characters of one piece map to successive source positions inside the piece, so a span that
            // ends inside a piece still maps to a sensible, monotone source offset.
            for (var k = 0; k < output.Length; k++)
            {
                _text.Append(output[k]);
                _map.Add(sourceStart + Math.Min(k, Math.Max(0, sourceLength - 1)));
            }
        }

        public MappedText Build()
        {
            _map.Add(source.Length);
            return new MappedText(source, _text.ToString(), [.. _map]);
        }
    }

    /// <summary>
    /// Returns new text where the given non-overlapping ranges of <see cref="Cased"/> are replaced,
    /// composing the offset maps so spans still point into the original source.
    /// </summary>
    public MappedText Rewrite(IReadOnlyList<(int Start, int End, string Replacement)> edits)
    {
        var cased = new StringBuilder(Cased.Length + 16);
        var map = new List<int>(Cased.Length + 16);
        var pos = 0;
        foreach (var (start, end, replacement) in edits.OrderBy(e => e.Start))
        {
            if (start < pos) throw new ArgumentException("Edits overlap.", nameof(edits));
            for (; pos < start; pos++) { cased.Append(Cased[pos]); map.Add(_toSource[pos]); }
            var srcStart = _toSource[start];
            var srcLen = _toSource[end] - srcStart;
            for (var k = 0; k < replacement.Length; k++)
            {
                cased.Append(replacement[k]);
                map.Add(srcStart + Math.Min(k, Math.Max(0, srcLen - 1)));
            }
            pos = end;
        }
        for (; pos < Cased.Length; pos++) { cased.Append(Cased[pos]); map.Add(_toSource[pos]); }
        map.Add(Source.Length);
        return new MappedText(Source, cased.ToString(), [.. map]);
    }
}

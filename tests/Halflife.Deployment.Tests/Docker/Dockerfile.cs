using System.Text;

namespace Halflife.Deployment.Tests.Docker;

public sealed class DockerfileSyntaxException(string message, int line) : Exception($"line {line}: {message}")
{
    public int Line { get; } = line;
}

/// <summary>
/// A Dockerfile read the way BuildKit's front end reads it, as far as these checks need: parser directives,
/// comments, backslash continuations (also across comment lines), known instructions only, FROM before anything
/// but ARG, and the stages the FROM lines open. It does not evaluate variables or shell syntax.
/// </summary>
public sealed class Dockerfile
{
    public static readonly IReadOnlySet<string> KnownInstructions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
        "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    private Dockerfile(IReadOnlyList<DockerfileInstruction> instructions, IReadOnlyList<DockerfileStage> stages)
    {
        Instructions = instructions;
        Stages = stages;
    }

    public IReadOnlyList<DockerfileInstruction> Instructions { get; }

    public IReadOnlyList<DockerfileStage> Stages { get; }

    public DockerfileStage FinalStage => Stages[^1];

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        var instructions = ReadInstructions(text);
        if (instructions.Count == 0) throw new DockerfileSyntaxException("no instructions", 1);
        return new Dockerfile(instructions, SplitStages(instructions));
    }

    private static List<DockerfileInstruction> ReadInstructions(string text)
    {
        var escape = '\\';
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var instructions = new List<DockerfileInstruction>();
        var inDirectives = true;
        StringBuilder? pending = null;
        var pendingLine = 0;

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            var lineNumber = i + 1;

            if (inDirectives && trimmed.StartsWith('#'))
            {
                // "# escape=`" must come before any instruction or ordinary comment to count.
                var directive = trimmed[1..].Trim();
                var eq = directive.IndexOf('=');
                if (eq > 0 && directive[..eq].Trim().Equals("escape", StringComparison.OrdinalIgnoreCase))
                {
                    var value = directive[(eq + 1)..].Trim();
                    if (value is not ("\\" or "`")) throw new DockerfileSyntaxException($"invalid escape directive '{value}'", lineNumber);
                    escape = value[0];
                }
                else if (eq <= 0 || !directive[..eq].Trim().Equals("syntax", StringComparison.OrdinalIgnoreCase))
                {
                    inDirectives = false;
                }
                continue;
            }
            inDirectives = false;

            // Comment lines are dropped even between continuation lines (BuildKit behaviour); blank lines too.
            if (trimmed.StartsWith('#') || trimmed.Length == 0) continue;

            var continues = line.TrimEnd().EndsWith(escape);
            var content = continues ? line.TrimEnd()[..^1] : line;
            if (pending is null)
            {
                pending = new StringBuilder(content.Trim());
                pendingLine = lineNumber;
            }
            else
            {
                pending.Append(' ').Append(content.Trim());
            }

            if (!continues)
            {
                instructions.Add(ToInstruction(pending.ToString(), pendingLine));
                pending = null;
            }
        }
        if (pending is not null) throw new DockerfileSyntaxException("the file ends inside a line continuation", pendingLine);
        return instructions;
    }

    private static DockerfileInstruction ToInstruction(string logicalLine, int line)
    {
        var end = logicalLine.IndexOfAny([' ', '\t']);
        var keyword = (end < 0 ? logicalLine : logicalLine[..end]).ToUpperInvariant();
        var arguments = end < 0 ? "" : logicalLine[end..].Trim();
        if (!KnownInstructions.Contains(keyword)) throw new DockerfileSyntaxException($"unknown instruction '{keyword}'", line);
        if (arguments.Length == 0) throw new DockerfileSyntaxException($"{keyword} has no arguments", line);
        return new DockerfileInstruction(keyword, arguments, line);
    }

    private static List<DockerfileStage> SplitStages(List<DockerfileInstruction> instructions)
    {
        var first = instructions.FindIndex(i => i.Keyword != "ARG");
        if (first < 0 || instructions[first].Keyword != "FROM")
        {
            var offending = first < 0 ? instructions[0] : instructions[first];
            throw new DockerfileSyntaxException($"the first instruction must be FROM (only ARG may precede it), found {offending.Keyword}", offending.Line);
        }

        var stages = new List<DockerfileStage>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = first; i < instructions.Count;)
        {
            var from = instructions[i];
            var (_, rest) = from.SplitFlags();
            var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string? name = null;
            if (words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)) name = words[2];
            else if (words.Length != 1) throw new DockerfileSyntaxException($"FROM takes an image and an optional 'AS name': '{from.Arguments}'", from.Line);
            if (name is not null && !names.Add(name)) throw new DockerfileSyntaxException($"stage name '{name}' is used twice", from.Line);

            var body = new List<DockerfileInstruction>();
            for (i++; i < instructions.Count && instructions[i].Keyword != "FROM"; i++) body.Add(instructions[i]);
            stages.Add(new DockerfileStage(words[0], name, stages.Count, body));
        }
        return stages;
    }
}

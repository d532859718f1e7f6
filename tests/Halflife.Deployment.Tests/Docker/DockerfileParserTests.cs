
namespace Halflife.Deployment.Tests.Docker;

/// <summary>The parser itself: what it accepts and, more important for a checker, what it refuses.</summary>
public sealed class DockerfileParserTests
{
    [Fact]
    public void Joins_continuation_lines_skipping_comments_between_them()
    {
        var file = Dockerfile.Parse("""
            # syntax=docker/dockerfile:1
            FROM alpine AS base
            RUN apk add \
            # a comment inside the continuation
                curl \
                jq
            USER 1000
            """);
        var run = Assert.Single(file.FinalStage.All("RUN"));
        Assert.Equal("apk add curl jq", run.Arguments);
        Assert.Equal(3, run.Line);
    }

    [Fact]
    public void Splits_stages_and_reads_their_names()
    {
        var file = Dockerfile.Parse("ARG TAG=1\nFROM sdk:${TAG} AS build\nRUN make\nFROM runtime\nCOPY --from=build /app .\n");
        Assert.Equal(2, file.Stages.Count);
        Assert.Equal("build", file.Stages[0].Name);
        Assert.Null(file.Stages[1].Name);
        var (flags, rest) = file.FinalStage.All("COPY").Single().SplitFlags();
        Assert.Equal("build", flags["from"]);
        Assert.Equal("/app .", rest);
    }

    [Fact]
    public void Honours_the_escape_directive()
    {
        var file = Dockerfile.Parse("# escape=`\nFROM windows\nRUN dir `\n  c:\\\n");
        Assert.Equal("dir c:\\", file.FinalStage.All("RUN").Single().Arguments);
    }

    [Theory]
    [InlineData("RUN echo hi\nFROM alpine\n", "first instruction must be FROM")]
    [InlineData("FROM alpine\nFETCH http://x\n", "unknown instruction 'FETCH'")]
    [InlineData("FROM alpine\nRUN echo \\\n", "ends inside a line continuation")]
    [InlineData("FROM a AS x\nFROM b AS x\n", "used twice")]
    [InlineData("FROM a AS\n", "optional 'AS name'")]
    [InlineData("FROM alpine\nUSER\n", "USER has no arguments")]
    [InlineData("# only a comment\n", "no instructions")]
    public void Refuses_malformed_files_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<DockerfileSyntaxException>(() => Dockerfile.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;

namespace Rpc.Cli.Tests;

/// <summary>The rpc tool, run as a process against the sample server process, over real TCP.</summary>
public sealed class CliEndToEndTests : IAsyncLifetime
{
    private SampleServer _server = null!;

    public async Task InitializeAsync() => _server = await SampleServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task List_prints_the_services_and_their_methods()
    {
        CliRun run = await CliRun.RunAsync("list", _server.Address);
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Rpc.Health.IRpcHealth", "showcase.Showcase"], lines.Where(l => !l.StartsWith(' ')));
        Assert.Contains("  SayHelloAsync (unary)", lines);
        Assert.Contains("  CountAsync (serverStreaming)", lines);
        Assert.DoesNotContain(lines, l => l.Contains("rpc.Description", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Describe_prints_a_method_and_the_types_it_reaches()
    {
        CliRun run = await CliRun.RunAsync("describe", _server.Address, "showcase.Showcase/SayHelloAsync");
        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument description = JsonDocument.Parse(run.Output);
        Assert.Equal("SayHelloAsync", description.RootElement.GetProperty("method").GetProperty("name").GetString());
        string[] types = description.RootElement.GetProperty("types").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["Showcase.HelloReply", "Showcase.HelloRequest", "Showcase.Mood"], types);
    }

    [Fact]
    public async Task A_unary_call_converts_JSON_arguments_and_prints_the_result_as_JSON()
    {
        CliRun run = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/SayHelloAsync", """{"REQUEST": {"name": "Ada", "times": 2, "mood": "cheerful"}}""");
        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument reply = JsonDocument.Parse(run.Output);
        Assert.Equal("Hello, Ada!", reply.RootElement.GetProperty("Message").GetString());
        Assert.Equal(["1: hello Ada", "2: hello Ada"], reply.RootElement.GetProperty("Lines").EnumerateArray().Select(l => l.GetString()!));
        Assert.Equal("Cheerful", reply.RootElement.GetProperty("Mood").GetString());
    }

    [Fact]
    public async Task Primitives_unions_dictionaries_and_version_tolerant_types_cross_the_wire()
    {
        CliRun add = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/Add", """{"a": 40, "b": 2}""");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("42", add.Output.Trim());

        CliRun area = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/AreaAsync", """{"shape": {"$type": "Square", "side": 3}}""");
        Assert.True(area.ExitCode == 0, area.ToString());
        Assert.Equal("9", area.Output.Trim());

        CliRun words = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/CountWordsAsync", """{"words": ["a", "b", "a"], "requestId": "0f8fad5b-d9cb-469f-a165-70867728950e"}""");
        Assert.True(words.ExitCode == 0, words.ToString());
        using (JsonDocument counts = JsonDocument.Parse(words.Output))
        {
            Assert.Equal(2, counts.RootElement.GetProperty("a").GetInt32());
            Assert.Equal(1, counts.RootElement.GetProperty("b").GetInt32());
        }

        CliRun settings = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/EchoSettingsAsync", """{"settings": {"version": 3, "theme": "dark"}}""");
        Assert.True(settings.ExitCode == 0, settings.ToString());
        using (JsonDocument echoed = JsonDocument.Parse(settings.Output))
        {
            Assert.Equal(3, echoed.RootElement.GetProperty("Version").GetInt32());
            Assert.Equal("dark", echoed.RootElement.GetProperty("Theme").GetString());
        }
    }

    [Fact]
    public async Task A_server_stream_prints_one_JSON_line_per_item()
    {
        CliRun run = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/CountAsync", """{"to": 3}""");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["1", "2", "3"], run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_status_error_is_printed_with_its_code_and_exit_code_1()
    {
        CliRun run = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/FailAsync", """{"why": "test"}""", "--header", "trace=1", "--timeout", "10s");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NotFound", run.Error, StringComparison.Ordinal);
        Assert.Contains("nothing here: test", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"request": {"name": 5}}""", "$.request.Name: expected a string or null for string, found the number 5")]
    [InlineData("""{"request": {"nick": "x"}}""", "Showcase.HelloRequest has no member 'nick'")]
    [InlineData("""{"request": {"name": "x", "mood": "grumpy"}}""", "'grumpy' is not a value of Showcase.Mood")]
    [InlineData("""{"req": {}}""", "SayHelloAsync has no parameter 'req'")]
    [InlineData("""{"request": {"name": "x",""", "the arguments are not valid JSON")]
    [InlineData("""{}""", "the argument 'request' (Showcase.HelloRequest) is missing")]
    public async Task Bad_JSON_is_reported_against_the_schema_with_exit_code_2(string arguments, string expected)
    {
        CliRun run = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/SayHelloAsync", arguments);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_method_lists_the_methods_there_are()
    {
        CliRun run = await CliRun.RunAsync("call", _server.Address, "showcase.Showcase/Nope", "{}");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no method 'Nope'", run.Error, StringComparison.Ordinal);
    }
}

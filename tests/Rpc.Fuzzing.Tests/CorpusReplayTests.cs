using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Rpc.Fuzzing.Tests;

/// <summary>
/// Every committed corpus input, run through its fuzz target as the fuzzer runs it: the target lets only the
/// exceptions the code documents pass, so an input that once crashed, once fixed, stays fixed.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly string CorpusRoot = Path.Combine(AppContext.BaseDirectory, "corpus");

    public static IEnumerable<object[]> CorpusFiles() =>
        Directory.EnumerateDirectories(CorpusRoot)
            .SelectMany(folder => Directory.EnumerateFiles(folder).Select(file => new object[] { Path.GetFileName(folder), Path.GetFileName(file) }))
            .OrderBy(pair => (string)pair[0], StringComparer.Ordinal)
            .ThenBy(pair => (string)pair[1], StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void A_corpus_input_raises_only_documented_exceptions(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(CorpusRoot, target, file));
        FuzzTargets.Find(target).Run(input);
    }

    [Fact]
    public void Every_target_has_seeds_and_every_corpus_folder_names_a_target()
    {
        string[] folders = Directory.EnumerateDirectories(CorpusRoot).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(FuzzTargets.Names().Order(StringComparer.Ordinal), folders);
        foreach (string folder in folders)
        {
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(CorpusRoot, folder)));
        }
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_cut_of_a_corpus_input_raises_only_documented_exceptions(string target, string file)
    {
        // A connection cut anywhere, a block or value missing its tail: every prefix of every input.
        byte[] input = File.ReadAllBytes(Path.Combine(CorpusRoot, target, file));
        IFuzzTarget fuzzTarget = FuzzTargets.Find(target);
        for (int length = 0; length < input.Length; length++)
        {
            fuzzTarget.Run(input.AsSpan(0, length));
        }
    }
}

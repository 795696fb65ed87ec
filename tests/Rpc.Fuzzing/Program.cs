using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Rpc.Fuzzing;
using SharpFuzz;

// Rpc.Fuzzing <target> --libfuzzer         run under fuzz.sh's libFuzzer driver (SharpFuzz's protocol)
// Rpc.Fuzzing <target> --replay <path>...   run files (or every file in folders) without instrumentation
// Rpc.Fuzzing --seed <corpus folder>        write the seed corpus, one folder per target
// Rpc.Fuzzing --list                        print the targets' names
if (args.Length == 2 && args[0] == "--seed")
{
    await SeedCorpus.WriteAsync(args[1]);
    return 0;
}
if (args.Length == 1 && args[0] == "--list")
{
    Console.WriteLine(string.Join('\n', FuzzTargets.Names()));
    return 0;
}
if (args.Length >= 2)
{
    IFuzzTarget target = FuzzTargets.Find(args[0]);
    if (args[1] == "--libfuzzer" && args.Length == 2)
    {
        // Returns when the driver goes away; an escaping exception is reported to it as a crash.
        Fuzzer.LibFuzzer.Run(target.Run);
        return 0;
    }
    if (args[1] == "--replay")
    {
        return Replay(target, args.Skip(2));
    }
}
Console.Error.WriteLine("usage: Rpc.Fuzzing <target> --libfuzzer | <target> --replay <path>... | --seed <folder> | --list");
Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.Names()));
return 2;

static int Replay(IFuzzTarget target, IEnumerable<string> paths)
{
    int passed = 0, failed = 0;
    foreach (string path in paths)
    {
        IEnumerable<string> files = Directory.Exists(path) ? Directory.EnumerateFiles(path).Order(StringComparer.Ordinal) : new[] { path };
        foreach (string file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                passed++;
            }
            catch (Exception ex)
            {
                failed++;
                Console.Error.WriteLine($"{target.Name}: {file} failed: {ex}");
            }
        }
    }
    Console.WriteLine($"{target.Name}: {passed} passed, {failed} failed");
    return failed == 0 ? 0 : 1;
}

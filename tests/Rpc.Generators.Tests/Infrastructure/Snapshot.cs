using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Rpc.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot testing of generated source: the approved text lives in <c>Snapshots/{name}.approved.cs</c> beside the
/// tests. On a mismatch the actual text is written to <c>{name}.received.cs</c> and the test fails with a diff.
/// Set <c>RPC_ACCEPT_SNAPSHOTS=1</c> to accept the received text as the new approved one.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "RPC_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, string actual)
    {
        string directory = Path.Combine(ProjectDirectory(), "Snapshots");
        Directory.CreateDirectory(directory);
        string approvedPath = Path.Combine(directory, name + ".approved.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);
        string? approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;

        if (approved == actual)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(approvedPath, actual);
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }
            return;
        }
        File.WriteAllText(receivedPath, actual);
        throw new Xunit.Sdk.XunitException(
            approved is null
                ? $"No approved snapshot '{approvedPath}'. The received text is in '{receivedPath}'; set {AcceptVariable}=1 to accept it."
                : $"Snapshot '{name}' differs from '{approvedPath}' (received text in '{receivedPath}'; set {AcceptVariable}=1 to accept):\n{Diff(approved, actual)}");
    }

    // This file sits in Infrastructure/ of the test project; the snapshots sit in Snapshots/ beside it.
    private static string ProjectDirectory([CallerFilePath] string thisFile = "") =>
        File.Exists(thisFile) ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..")) : Path.Combine(AppContext.BaseDirectory, "..", "..", "..");

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    private static string Diff(string approved, string actual)
    {
        DiffPaneModel diff = new InlineDiffBuilder(new DiffPlex.Differ()).BuildDiffModel(approved, actual);
        var builder = new StringBuilder();
        int shown = 0;
        foreach (DiffPiece line in diff.Lines)
        {
            if (line.Type == ChangeType.Unchanged)
            {
                continue;
            }
            builder.Append(line.Type == ChangeType.Inserted ? "+ " : "- ").Append(line.Position).Append(": ").AppendLine(line.Text);
            if (++shown == 60)
            {
                builder.AppendLine("...");
                break;
            }
        }
        return builder.ToString();
    }
}

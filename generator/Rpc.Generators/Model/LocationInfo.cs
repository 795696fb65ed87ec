using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Rpc.Generators.Model;

/// <summary>Where a diagnostic points, as plain values (a <see cref="Location"/> would pin the syntax tree in the cache).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
    }
}

/// <summary>A diagnostic as plain values; <see cref="Analyzers.ParserDiagnosticReporter"/> reports it on the real syntax tree.</summary>
internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
        new(descriptor.Id, LocationInfo.From(location), messageArgs.ToEquatableArray());
}

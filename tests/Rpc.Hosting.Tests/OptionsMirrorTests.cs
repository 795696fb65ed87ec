using System.Reflection;

namespace Rpc.Hosting.Tests;

/// <summary>
/// Configuration reaches <see cref="RpcServerOptions"/> and <see cref="RpcClientOptions"/> through hand-written
/// mirrors (the configuration binder's generator must not touch what only code can set). A scalar option added to
/// the runtime without its mirror would silently not be configurable: these tests name it.
/// </summary>
public sealed class OptionsMirrorTests
{
    [Fact]
    public void Every_scalar_server_option_can_come_from_configuration() =>
        AssertMirrored(typeof(RpcServerOptions), typeof(RpcServerOptionsConfiguration));

    [Fact]
    public void Every_scalar_client_option_can_come_from_configuration() =>
        AssertMirrored(typeof(RpcClientOptions), typeof(RpcClientOptionsConfiguration), alsoByName: [nameof(RpcClientOptions.LoadBalancer)]);

    private static void AssertMirrored(Type options, Type mirror, string[]? alsoByName = null)
    {
        HashSet<string> mirrored = mirror.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite).Select(p => p.Name).ToHashSet();
        string[] missing = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && (IsScalar(p.PropertyType) || (alsoByName ?? []).Contains(p.Name)))
            .Select(p => p.Name)
            .Where(name => !mirrored.Contains(name))
            .ToArray();
        Assert.True(missing.Length == 0, $"{options.Name} options configuration cannot set: {string.Join(", ", missing)} (add them to {mirror.Name})");
    }

    private static bool IsScalar(Type type)
    {
        Type plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain.IsPrimitive || plain.IsEnum || plain == typeof(string) || plain == typeof(TimeSpan) || plain == typeof(decimal);
    }
}

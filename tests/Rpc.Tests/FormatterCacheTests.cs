using Rpc.Serialization;
using Xunit;

namespace Rpc.Tests;

public sealed class FormatterCacheTests
{
    [Fact]
    public void A_formatter_registered_after_the_first_use_takes_over()
    {
        var cache = new RpcFormatterCache<LateProbe>();
        var first = new ProbeFormatter<LateProbe>();
        RpcFormatterProvider.Register(first);
        Assert.Same(first, cache.Get());
        Assert.Same(first, cache.Get());

        var second = new ProbeFormatter<LateProbe>();
        RpcFormatterProvider.Register(second);
        Assert.Same(second, cache.Get());
    }

    [Fact]
    public void A_type_without_a_formatter_fails_every_use_until_one_is_registered()
    {
        var cache = new RpcFormatterCache<UnregisteredProbe>();
        Assert.Throws<RpcSerializationException>(() => cache.Get());
        Assert.Throws<RpcSerializationException>(() => cache.Get());

        var formatter = new ProbeFormatter<UnregisteredProbe>();
        RpcFormatterProvider.TryRegister(formatter);
        Assert.Same(formatter, cache.Get());
    }

    // Each test has a type of its own, so that no other test's registrations reach it.
    private sealed class LateProbe;

    private sealed class UnregisteredProbe;

    private sealed class ProbeFormatter<T> : RpcFormatter<T>
    {
        public override void Serialize(ref RpcWriter writer, scoped in T? value) => writer.WriteString("probe");

        public override T? Deserialize(ref RpcReader reader) => default;
    }
}

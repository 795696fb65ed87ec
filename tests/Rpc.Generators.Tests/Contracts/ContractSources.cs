namespace Rpc.Generators.Tests.Contracts;

/// <summary>Contracts the contract tests compile: one service reaching every kind of type the contract describes.</summary>
internal static class ContractSources
{
    public const string Shop = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Rpc;
        using Rpc.Serialization;

        namespace Shop;

        public enum Colour : byte { Red = 1, Green = 2 }

        public record Line(string Sku, int Quantity, Colour? Colour);

        [RpcMessage]
        public partial class Basket
        {
            public long Id { get; set; }
            public List<Line> Lines { get; set; } = new();
            public Dictionary<string, int>? Tags { get; set; }
            public Guid Owner { get; set; }
            public int[]? Codes { get; set; }
        }

        [RpcMessage(GenerateType.VersionTolerant)]
        public partial class Settings
        {
            [RpcOrder(0)] public int Version { get; set; }
            [RpcOrder(2)] public string? Theme { get; set; }
        }

        [RpcMessage]
        [RpcUnion(0, typeof(Card))]
        [RpcUnion(5, typeof(Cash))]
        public abstract partial class Payment { }
        [RpcMessage] public partial class Card : Payment { public string Number { get; set; } = ""; }
        [RpcMessage] public partial class Cash : Payment { public decimal Amount { get; set; } }

        [RpcService("shop.Shop")]
        public interface IShop
        {
            Task<Basket> GetBasketAsync(int id, CancellationToken cancellationToken = default);
            [RpcIdempotent] ValueTask<Settings?> GetSettingsAsync();
            Task PayAsync(Payment payment, [Utf8String] string note);
            IAsyncEnumerable<Line> WatchAsync(long basketId, CancellationToken cancellationToken = default);
            Task<int> UploadAsync(IAsyncEnumerable<Line> lines);
            [RpcOneWay] ValueTask PingAsync(DateTime at, (int, string) pair);
        }
        """;
}

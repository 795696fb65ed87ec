using System.Reflection;
using Rpc.Generators.Tests.Infrastructure;

namespace Rpc.Generators.Tests.Serialization;

/// <summary>Shapes the vectors do not cover: constructors, private members, structs, generics, collections, unions of structs.</summary>
public sealed class ObjectShapeTests
{
    private static readonly Lazy<Assembly> s_assembly = new(() =>
    {
        var (_, output, diagnostics) = TestCompilation.RunGenerator(TestCompilation.Create("""
            #nullable enable
            using System;
            using System.Collections.Generic;
            using System.Collections.ObjectModel;
            using Rpc.Serialization;
            using static Rpc.Serialization.RpcSerializer;
            namespace Shapes
            {
                public class Marked
                {
                    [RpcConstructor] public Marked(int a, string b) { A = a; B = b; Source = "ctor"; }
                    public Marked() { Source = "default"; B = ""; }
                    public int A { get; }
                    public string B { get; }
                    [RpcIgnore] public string Source { get; }
                }
                [RpcMessage] public partial class Secret
                {
                    [RpcInclude] private int _code;
                    public int Public { get; private set; }
                    public static Secret Make(int code, int value) => new() { _code = code, Public = value };
                    public override string ToString() => $"{_code}/{Public}";
                }
                public readonly struct Money { public Money(decimal amount, string currency) { Amount = amount; Currency = currency; } public decimal Amount { get; } public string Currency { get; } public override string ToString() => $"{Amount} {Currency}"; }
                public record struct Point3(int X, int Y, string? Label);
                public class Bag
                {
                    public SortedSet<int>? Sorted { get; set; }
                    public LinkedList<string>? Linked { get; set; }
                    public IReadOnlyDictionary<string, Money>? Prices { get; set; }
                    public ISet<string>? Tags { get; set; }
                    public IEnumerable<int>? Lazy { get; set; }
                    public (int, Money)? Maybe { get; set; }
                    public int[,,]? Cube { get; set; }
                    public Memory<string?> Words { get; set; }
                }
                [RpcMessage] [RpcUnion(0, typeof(Circle))] [RpcUnion(1, typeof(Rect))] public partial interface IShape { }
                public record Circle(double R) : IShape;
                public record Rect(double W, double H) : IShape;
                public record Node<T>(T Value, List<Node<T>>? Children);
                public static class Api
                {
                    public static string Marked() { var m = Deserialize<Marked>(Serialize(new Marked(3, "x")))!; return $"{m.A},{m.B},{m.Source}"; }
                    public static string Secret() => Deserialize<Secret>(Serialize(global::Shapes.Secret.Make(7, 9)))!.ToString();
                    public static string Money() => Deserialize<Money>(Serialize(new Money(1.5m, "EUR"))).ToString();
                    public static bool Point() => Deserialize<Point3>(Serialize(new Point3(1, 2, "p"))) == new Point3(1, 2, "p");
                    public static string Bag()
                    {
                        var bag = new Bag
                        {
                            Sorted = new SortedSet<int> { 3, 1, 2 },
                            Linked = new LinkedList<string>(new[] { "a", "b" }),
                            Prices = new Dictionary<string, Money> { ["x"] = new Money(2m, "USD") },
                            Tags = new HashSet<string> { "t" },
                            Lazy = System.Linq.Enumerable.Range(0, 3),
                            Maybe = (4, new Money(3m, "GBP")),
                            Cube = new int[2, 2, 2] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } },
                            Words = new string?[] { "w", null },
                        };
                        var copy = Deserialize<Bag>(Serialize(bag))!;
                        return string.Join("|", string.Join(",", copy.Sorted!), string.Join(",", copy.Linked!), copy.Prices!["x"], string.Join(",", copy.Tags!),
                            string.Join(",", copy.Lazy!), copy.Maybe, copy.Cube![1, 1, 1], copy.Words.Length, copy.Words.Span[1] ?? "null");
                    }
                    public static string AllShapes()
                    {
                        var shapes = new List<IShape?> { new Circle(1), new Rect(2, 3), null };
                        return string.Join(";", Deserialize<List<IShape?>>(Serialize(shapes))!);
                    }
                    public static string QueueAndStack()
                    {
                        var queue = new Queue<int>(new[] { 1, 2, 3 });
                        var stack = new Stack<string>(new[] { "bottom", "middle", "top" });
                        byte[] stackBytes = Serialize(stack);
                        var q = Deserialize<Queue<int>>(Serialize(queue))!;
                        var s = Deserialize<Stack<string>>(stackBytes)!;
                        return string.Join(",", q) + "|" + string.Join(",", s) + "|" + Convert.ToHexString(Serialize(new Stack<int>(new[] { 1, 2 })));
                    }
                    public static string Tree()
                    {
                        var tree = new Node<string>("root", new List<Node<string>> { new("leaf", null) });
                        var copy = Deserialize<Node<string>>(Serialize(tree))!;
                        return copy.Value + ">" + copy.Children![0].Value;
                    }
                }
            }
            """));
        Assert.Empty(diagnostics);
        Assert.Empty(TestCompilation.CompilationProblems(output));
        return TestCompilation.EmitAndLoad(output);
    });

    private static object? Call(string name) => s_assembly.Value.GetType("Shapes.Api")!.GetMethod(name)!.Invoke(null, null);

    [Fact]
    public void The_constructor_marked_RpcConstructor_is_used_over_the_parameterless_one() => Assert.Equal("3,x,ctor", Call("Marked"));

    [Fact]
    public void A_partial_message_round_trips_private_fields_and_private_setters() => Assert.Equal("7/9", Call("Secret"));

    [Fact]
    public void A_readonly_struct_with_a_constructor_round_trips() => Assert.Equal("1.5 EUR", Call("Money"));

    [Fact]
    public void A_record_struct_round_trips() => Assert.Equal(true, Call("Point"));

    [Fact]
    public void Sets_linked_lists_interfaces_nullable_tuples_cubes_and_memory_round_trip() =>
        Assert.Equal("1,2,3|a,b|2 USD|t|0,1,2|(4, 3 GBP)|8|2|null", Call("Bag"));

    [Fact]
    public void A_union_interface_round_trips_in_a_list_with_nulls() =>
        Assert.Equal("Circle { R = 1 };Rect { W = 2, H = 3 };", Call("AllShapes"));

    [Fact]
    public void A_queue_keeps_its_order_and_a_stack_is_written_bottom_first_and_read_back_unchanged() =>
        Assert.Equal("1,2,3|top,middle,bottom|020000000100000002000000", Call("QueueAndStack"));

    [Fact]
    public void A_recursive_generic_record_round_trips() => Assert.Equal("root>leaf", Call("Tree"));
}

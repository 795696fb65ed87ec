using System.Text.Json;
using System.Text.Json.Serialization;
using Rpc.LoadTest.Contracts;

namespace Rpc.LoadTest.Contenders;

/// <summary>System.Text.Json's source-generated serializers for the HTTP/2 contender, with ASP.NET Core's web defaults.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EchoRequest))]
[JsonSerializable(typeof(EchoReply))]
[JsonSerializable(typeof(StreamItem))]
[JsonSerializable(typeof(IAsyncEnumerable<StreamItem>))]
internal sealed partial class HttpJsonContext : JsonSerializerContext
{
}

using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net;
using System.Text.Json;
using Rpc.Discovery;

namespace Rpc.Etcd;

/// <summary>
/// The JSON value of an instance key (docs/cluster.md, "Registry and key layout"):
/// <c>{"id":"10.0.0.5:5050","address":"10.0.0.5:5050","weight":100,"metadata":{"zone":"a"}}</c>. The address is
/// <see cref="RpcEndPointParser.Format"/>'s text. Unknown properties are skipped, so a later writer may add some.
/// Written and read with Utf8JsonWriter/Utf8JsonReader: no reflection.
/// </summary>
internal static class EtcdInstanceCodec
{
    internal static byte[] Encode(RpcServiceInstance instance)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", instance.Id);
            writer.WriteString("address", RpcEndPointParser.Format(instance.EndPoint));
            writer.WriteNumber("weight", instance.Weight);
            writer.WriteStartObject("metadata");
            foreach (KeyValuePair<string, string> pair in instance.Metadata)
            {
                writer.WriteString(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an instance of <paramref name="serviceName"/> from a key's value.</summary>
    /// <exception cref="FormatException">The value is not an instance; the message says what is wrong.</exception>
    internal static RpcServiceInstance Decode(string serviceName, ReadOnlySpan<byte> json)
    {
        try
        {
            return Read(serviceName, json);
        }
        catch (JsonException e)
        {
            throw new FormatException("The value is not valid JSON: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("The value holds an invalid instance: " + e.Message, e);
        }
    }

    private static RpcServiceInstance Read(string serviceName, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("The value is not a JSON object.");
        }

        string? id = null;
        string? address = null;
        int weight = 100;
        Dictionary<string, string>? metadata = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "id":
                    id = reader.GetString();
                    break;
                case "address":
                    address = reader.GetString();
                    break;
                case "weight":
                    weight = reader.GetInt32();
                    break;
                case "metadata":
                    metadata = ReadMetadata(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (address is null)
        {
            throw new FormatException("The value has no \"address\".");
        }

        EndPoint endPoint = RpcEndPointParser.Parse(address);
        var instance = new RpcServiceInstance(serviceName, endPoint) { Weight = weight };
        if (id is not null)
        {
            instance = instance with { Id = id };
        }

        return metadata is null ? instance : instance with { Metadata = metadata };
    }

    private static Dictionary<string, string> ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("\"metadata\" is not a JSON object.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            metadata[key] = reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : throw new FormatException($"The metadata value of \"{key}\" is not a string.");
        }

        return metadata;
    }
}

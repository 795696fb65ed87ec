using System;
using System.Text;
using Google.Protobuf;

namespace Rpc.Etcd;

/// <summary>
/// The key layout: an instance is <c>Prefix + serviceName + "/" + Id</c>. A service name may not contain the
/// separator itself, so "/" and "%" in it are written %2F and %25; ordinary names appear as they are.
/// </summary>
internal static class EtcdKeys
{
    internal static string ServicePrefix(string prefix, string serviceName) =>
        prefix + serviceName.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal) + "/";

    internal static string InstanceKey(string prefix, string serviceName, string id) => ServicePrefix(prefix, serviceName) + id;

    internal static ByteString ToBytes(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>
    /// The end of the key range holding every key that starts with <paramref name="prefix"/>: the prefix with its
    /// last byte below 0xFF incremented and what follows dropped (etcd's "range_end" for a prefix).
    /// </summary>
    internal static ByteString RangeEnd(string prefix)
    {
        byte[] end = Encoding.UTF8.GetBytes(prefix);
        for (int i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xFF)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0); // every key: "\0" means "to the end of the keyspace"
    }
}

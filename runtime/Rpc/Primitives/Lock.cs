#if !NET9_0_OR_GREATER
namespace Rpc;

/// <summary>
/// Before .NET 9, a plain object to lock on: code in the library declares its locks as <c>Lock</c>, which is
/// <c>System.Threading.Lock</c> (cheaper than a monitor) from .NET 9 on, and this type on .NET 8, where
/// the <c>lock</c> statement falls back to <see cref="System.Threading.Monitor"/>.
/// </summary>
internal sealed class Lock
{
}
#endif

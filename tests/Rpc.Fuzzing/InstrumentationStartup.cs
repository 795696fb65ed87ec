using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rpc.Fuzzing;

/// <summary>
/// Gives SharpFuzz's edge counters somewhere to go before the generated module initializers run: they register
/// formatters and proxies through the instrumented Rpc.dll, whose every branch writes to
/// <c>SharpFuzz.Common.Trace.SharedMem</c>, which is null until <c>Fuzzer.LibFuzzer.Run</c> maps the driver's
/// shared memory. Roslyn runs module initializers in source order and generated files come after ours, so this one
/// runs first; were that to change, fuzz.sh would fail at once with an access violation, never silently.
/// </summary>
internal static unsafe class InstrumentationStartup
{
    private const int MapSize = 1 << 16;

#pragma warning disable CA2255 // A module initializer is the only code that runs before the generated ones.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void GiveCountersAPlace()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(MapSize);
        }
    }
}

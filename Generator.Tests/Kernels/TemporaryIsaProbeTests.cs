using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace ModelCompiler.Tests.Kernels;

public class TemporaryIsaProbeTests
{
    [Fact]
    public void Probe() => File.AppendAllText("/tmp/kernels-isa-probe.txt",
        $"{Environment.GetEnvironmentVariable("PROBE_LABEL")}: V512={Vector512.IsHardwareAccelerated} V256={Vector256.IsHardwareAccelerated} V128={Vector128.IsHardwareAccelerated} FMA={Fma.IsSupported}\n");
}

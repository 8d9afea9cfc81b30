using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ModelCompiler.Kernels;

/// <summary>Scalar arithmetic shared by the scalar loops of the kernels.</summary>
internal static class ScalarMath
{
    /// <summary>Returns a * b + c, with one rounding when the hardware has fused multiply-add.</summary>
    /// <remarks>
    /// Without the instruction, MathF.FusedMultiplyAdd is a slow software emulation, so a separate multiply and add
    /// (two roundings) is used instead. See <see cref="Vector128Operations.MultiplyAdd"/> for why the test is an if
    /// statement and not a shared bool property.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c)
    {
        if (Fma.IsSupported || AdvSimd.IsSupported)
        {
            return MathF.FusedMultiplyAdd(a, b, c);
        }

        return a * b + c;
    }
}

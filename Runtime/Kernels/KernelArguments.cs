using System.Runtime.CompilerServices;

namespace ModelCompiler.Kernels;

/// <summary>Argument checks shared by the kernels, with messages that name the parameter, its value and the requirement.</summary>
internal static class KernelArguments
{
    public static void RequireNonNegative(int value, [CallerArgumentExpression(nameof(value))] string parameterName = "")
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} is {value} but must be zero or more.");
        }
    }

    public static void RequirePositive(int value, [CallerArgumentExpression(nameof(value))] string parameterName = "")
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} is {value} but must be at least 1.");
        }
    }

    /// <summary>Throws unless a span named <paramref name="parameterName"/> holds a rows x columns matrix.</summary>
    public static void RequireMatrixLength(
        int length, int rows, int columns, string parameterName, string rowsName, string columnsName)
    {
        long required = (long)rows * columns;
        if (length < required)
        {
            throw new ArgumentException(
                $"{parameterName} has {length} elements, but {rowsName} * {columnsName} = {rows} * {columns} = {required} are required.",
                parameterName);
        }
    }

    /// <summary>Throws unless a span named <paramref name="parameterName"/> has at least <paramref name="required"/> elements.</summary>
    public static void RequireLength(int length, long required, string parameterName, string requirement)
    {
        if (length < required)
        {
            throw new ArgumentException(
                $"{parameterName} has {length} elements, but {requirement} = {required} are required.",
                parameterName);
        }
    }
}

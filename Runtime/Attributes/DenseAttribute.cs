namespace ModelCompiler;

/// <summary>
/// A fully connected layer with <see cref="Units"/> outputs and a bias per output.
/// </summary>
/// <remarks>
/// A spatial input is flattened in channel, row, column order, as PyTorch's <c>Flatten</c> does.
/// Weights are stored [out, in] like PyTorch's <c>Linear.weight</c>, then the biases.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Creates a dense layer with <paramref name="units"/> outputs.</summary>
    public DenseAttribute(int units) => Units = units;

    /// <summary>Number of outputs.</summary>
    public int Units { get; }

    /// <summary>How the weights are drawn; the model's default unless set.</summary>
    public Initializer Initializer { get; set; }

    /// <summary>The std of <see cref="Initializer.Gaussian"/> or the value of <see cref="Initializer.Constant"/>; 0.01 unless set.</summary>
    public double InitializerScale { get; set; } = 0.01;
}

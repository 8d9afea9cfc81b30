namespace ModelCompiler;

/// <summary>
/// How the weights of a convolution or dense layer are drawn by <c>InitializeParameters</c>. Fan-in is
/// F*F*C for a convolution and the input size for a dense layer; fan-out is F*F*K and the unit count.
/// Biases always start at zero.
/// </summary>
public enum Initializer
{
    /// <summary>The model's default from <see cref="ModelAttribute.Initializer"/>, which is <see cref="KaimingNormal"/> unless set.</summary>
    Default = 0,

    /// <summary>Normal, std = gain / sqrt(fan_in), gain sqrt(2 / (1 + a^2)) with a the slope of a following LeakyReLU, else 0 (He et al., 2015).</summary>
    KaimingNormal,

    /// <summary>Uniform on [-b, b], b = gain * sqrt(3 / fan_in), same gain as <see cref="KaimingNormal"/>.</summary>
    KaimingUniform,

    /// <summary>Normal, std = 1 / sqrt(fan_in): Xavier initialization as usually taught.</summary>
    XavierNormal,

    /// <summary>Uniform on [-b, b], b = sqrt(3 / fan_in): the same variance as <see cref="XavierNormal"/>.</summary>
    XavierUniform,

    /// <summary>Normal, std = sqrt(2 / (fan_in + fan_out)): PyTorch's xavier_normal_ (Glorot and Bengio, 2010).</summary>
    GlorotNormal,

    /// <summary>Uniform on [-b, b], b = sqrt(6 / (fan_in + fan_out)): PyTorch's xavier_uniform_.</summary>
    GlorotUniform,

    /// <summary>Normal with mean 0 and std <c>InitializerScale</c> (the classic 0.01 unless set).</summary>
    Gaussian,

    /// <summary>Every weight equal to <c>InitializerScale</c> (0.01 unless set).</summary>
    Constant,
}

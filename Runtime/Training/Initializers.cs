namespace ModelCompiler.Training;

/// <summary>Weight initializers with seeded, reproducible output.</summary>
/// <remarks>
/// Every random initializer takes one sample from <see cref="DeterministicRandom"/> per weight, in order: a normal
/// sample from <see cref="DeterministicRandom.NextGaussian"/> or a uniform one from
/// <see cref="DeterministicRandom.NextDouble"/>. The value is computed in double and rounded to float once.
/// Fan-in is in_channels x kernel height x kernel width for a convolution and in_features for a dense layer.
/// Fan-out is out_channels x kernel height x kernel width for a convolution and out_features for a dense layer.
/// </remarks>
public static class Initializers
{
    /// <summary>
    /// Fills <paramref name="weights"/> with normal samples of mean 0 and standard deviation sqrt(2 / fanIn),
    /// the initialization of He et al. (2015) for layers followed by ReLU. This is PyTorch's
    /// <c>kaiming_normal_</c> with <c>mode="fan_in"</c> and <c>nonlinearity="relu"</c>.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="fanIn">
    /// Inputs that feed one output: in_channels x kernel height x kernel width for a convolution, in_features for a
    /// dense layer.
    /// </param>
    /// <param name="random">The generator to draw from. Samples are taken in order, one per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> is not positive.</exception>
    public static void KaimingNormal(Span<float> weights, int fanIn, DeterministicRandom random) =>
        KaimingNormal(weights, fanIn, negativeSlope: 0.0, random);

    /// <summary>
    /// Fills <paramref name="weights"/> with normal samples of mean 0 and standard deviation gain / sqrt(fanIn),
    /// where gain = sqrt(2 / (1 + a^2)) and a is <paramref name="negativeSlope"/>. This is PyTorch's
    /// <c>kaiming_normal_</c> with <c>mode="fan_in"</c> and <c>nonlinearity="leaky_relu"</c>. With a = 0 it gives
    /// the ReLU case, std sqrt(2 / fanIn), and the same weights as the overload without a slope.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="fanIn">Inputs that feed one output.</param>
    /// <param name="negativeSlope">Slope a of the LeakyReLU that follows the layer, or 0 for ReLU. Only a^2 is used.</param>
    /// <param name="random">The generator to draw from, one normal sample per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="fanIn"/> is not positive, or <paramref name="negativeSlope"/> is not finite.
    /// </exception>
    public static void KaimingNormal(Span<float> weights, int fanIn, double negativeSlope, DeterministicRandom random)
    {
        ValidateFan(fanIn, nameof(fanIn));
        ValidateNegativeSlope(negativeSlope);
        ArgumentNullException.ThrowIfNull(random);

        // (gain / sqrt(fanIn))^2 = 2 / (1 + a^2) / fanIn. For a = 0 this is exactly 2.0 / fanIn.
        double standardDeviation = Math.Sqrt(2.0 / (1.0 + negativeSlope * negativeSlope) / fanIn);
        FillNormal(weights, standardDeviation, random);
    }

    /// <summary>
    /// Fills <paramref name="weights"/> with uniform samples on [-b, b), b = gain x sqrt(3 / fanIn), with the gain
    /// of <see cref="KaimingNormal(Span{float}, int, double, DeterministicRandom)"/>. The variance b^2 / 3 equals
    /// that of the normal variant. This is PyTorch's <c>kaiming_uniform_</c> with <c>mode="fan_in"</c> and
    /// <c>nonlinearity="leaky_relu"</c>.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="fanIn">Inputs that feed one output.</param>
    /// <param name="negativeSlope">Slope a of the LeakyReLU that follows the layer, or 0 for ReLU. Only a^2 is used.</param>
    /// <param name="random">The generator to draw from, one uniform sample per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="fanIn"/> is not positive, or <paramref name="negativeSlope"/> is not finite.
    /// </exception>
    public static void KaimingUniform(Span<float> weights, int fanIn, double negativeSlope, DeterministicRandom random)
    {
        ValidateFan(fanIn, nameof(fanIn));
        ValidateNegativeSlope(negativeSlope);
        ArgumentNullException.ThrowIfNull(random);

        double bound = Math.Sqrt(2.0 / (1.0 + negativeSlope * negativeSlope) * 3.0 / fanIn);
        FillUniform(weights, bound, random);
    }

    /// <summary>
    /// Fills <paramref name="weights"/> with normal samples of mean 0 and standard deviation 1 / sqrt(fanIn), the
    /// variant of Xavier initialization that is usually taught. PyTorch's <c>xavier_normal_</c> uses fan-in and
    /// fan-out instead, which is <see cref="GlorotNormal"/> here.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="fanIn">Inputs that feed one output.</param>
    /// <param name="random">The generator to draw from, one normal sample per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> is not positive.</exception>
    public static void XavierNormal(Span<float> weights, int fanIn, DeterministicRandom random)
    {
        ValidateFan(fanIn, nameof(fanIn));
        ArgumentNullException.ThrowIfNull(random);

        FillNormal(weights, Math.Sqrt(1.0 / fanIn), random);
    }

    /// <summary>
    /// Fills <paramref name="weights"/> with uniform samples on [-b, b), b = sqrt(3 / fanIn), which have the
    /// variance 1 / fanIn of <see cref="XavierNormal"/>.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="fanIn">Inputs that feed one output.</param>
    /// <param name="random">The generator to draw from, one uniform sample per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> is not positive.</exception>
    public static void XavierUniform(Span<float> weights, int fanIn, DeterministicRandom random)
    {
        ValidateFan(fanIn, nameof(fanIn));
        ArgumentNullException.ThrowIfNull(random);

        FillUniform(weights, Math.Sqrt(3.0 / fanIn), random);
    }

    /// <summary>
    /// Fills <paramref name="weights"/> with normal samples of mean 0 and standard deviation
    /// sqrt(2 / (fanIn + fanOut)), the initialization of Glorot and Bengio (2010). This is PyTorch's
    /// <c>xavier_normal_</c> with gain 1.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="fanIn">Inputs that feed one output.</param>
    /// <param name="fanOut">Outputs that one input feeds.</param>
    /// <param name="random">The generator to draw from, one normal sample per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> or <paramref name="fanOut"/> is not positive.</exception>
    public static void GlorotNormal(Span<float> weights, int fanIn, int fanOut, DeterministicRandom random)
    {
        ValidateFan(fanIn, nameof(fanIn));
        ValidateFan(fanOut, nameof(fanOut));
        ArgumentNullException.ThrowIfNull(random);

        // The sum is taken in double because two int fans can overflow int.
        FillNormal(weights, Math.Sqrt(2.0 / ((double)fanIn + fanOut)), random);
    }

    /// <summary>
    /// Fills <paramref name="weights"/> with uniform samples on [-b, b), b = sqrt(6 / (fanIn + fanOut)), which
    /// have the variance of <see cref="GlorotNormal"/>. This is PyTorch's <c>xavier_uniform_</c> with gain 1.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="fanIn">Inputs that feed one output.</param>
    /// <param name="fanOut">Outputs that one input feeds.</param>
    /// <param name="random">The generator to draw from, one uniform sample per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> or <paramref name="fanOut"/> is not positive.</exception>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, DeterministicRandom random)
    {
        ValidateFan(fanIn, nameof(fanIn));
        ValidateFan(fanOut, nameof(fanOut));
        ArgumentNullException.ThrowIfNull(random);

        FillUniform(weights, Math.Sqrt(6.0 / ((double)fanIn + fanOut)), random);
    }

    /// <summary>
    /// Fills <paramref name="weights"/> with normal samples of mean 0 and the given standard deviation, independent
    /// of the layer's fans. The classic choice is 0.01.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="standardDeviation">Standard deviation, finite and not negative. 0 fills zeros.</param>
    /// <param name="random">The generator to draw from, one normal sample per weight, even when the std is 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="standardDeviation"/> is negative, infinite or NaN.</exception>
    public static void Gaussian(Span<float> weights, double standardDeviation, DeterministicRandom random)
    {
        ValidateScale(standardDeviation, nameof(standardDeviation));
        ArgumentNullException.ThrowIfNull(random);

        FillNormal(weights, standardDeviation, random);
    }

    /// <summary>Sets every weight to <paramref name="value"/>, rounded to float.</summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="value">The value, finite and not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative, infinite or NaN.</exception>
    public static void Constant(Span<float> weights, double value)
    {
        ValidateScale(value, nameof(value));

        weights.Fill((float)value);
    }

    /// <summary>
    /// Fills <paramref name="weights"/> with the initializer <paramref name="kind"/>, so that generated code makes
    /// one call per layer whatever the layer's initializer is. Arguments that <paramref name="kind"/> does not use
    /// are still validated.
    /// </summary>
    /// <param name="weights">The weights to overwrite.</param>
    /// <param name="kind">
    /// The initializer. <see cref="Initializer.Default"/> is rejected, because the caller must first resolve it to
    /// the model's default from <see cref="ModelAttribute.Initializer"/>.
    /// </param>
    /// <param name="fanIn">Inputs that feed one output, positive.</param>
    /// <param name="fanOut">Outputs that one input feeds, positive. Only the Glorot initializers use it.</param>
    /// <param name="negativeSlope">
    /// Slope of the LeakyReLU that follows the layer, or 0. Only the Kaiming initializers use it.
    /// </param>
    /// <param name="scale">
    /// Standard deviation for <see cref="Initializer.Gaussian"/> or value for <see cref="Initializer.Constant"/>,
    /// finite and not negative. The other initializers ignore it.
    /// </param>
    /// <param name="random">
    /// The generator to draw from. <see cref="Initializer.Constant"/> draws nothing from it, so the next layer
    /// gets the same samples as if this layer did not exist.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="kind"/> is <see cref="Initializer.Default"/> or not a defined value, a fan is not positive,
    /// <paramref name="negativeSlope"/> is not finite, or <paramref name="scale"/> is negative, infinite or NaN.
    /// </exception>
    public static void Initialize(
        Span<float> weights,
        Initializer kind,
        int fanIn,
        int fanOut,
        double negativeSlope,
        double scale,
        DeterministicRandom random)
    {
        ValidateFan(fanIn, nameof(fanIn));
        ValidateFan(fanOut, nameof(fanOut));
        ValidateNegativeSlope(negativeSlope);
        ValidateScale(scale, nameof(scale));
        ArgumentNullException.ThrowIfNull(random);

        switch (kind)
        {
            case Initializer.KaimingNormal:
                KaimingNormal(weights, fanIn, negativeSlope, random);
                break;
            case Initializer.KaimingUniform:
                KaimingUniform(weights, fanIn, negativeSlope, random);
                break;
            case Initializer.XavierNormal:
                XavierNormal(weights, fanIn, random);
                break;
            case Initializer.XavierUniform:
                XavierUniform(weights, fanIn, random);
                break;
            case Initializer.GlorotNormal:
                GlorotNormal(weights, fanIn, fanOut, random);
                break;
            case Initializer.GlorotUniform:
                GlorotUniform(weights, fanIn, fanOut, random);
                break;
            case Initializer.Gaussian:
                Gaussian(weights, scale, random);
                break;
            case Initializer.Constant:
                Constant(weights, scale);
                break;
            case Initializer.Default:
                throw new ArgumentOutOfRangeException(
                    nameof(kind),
                    kind,
                    "Initializer.Default cannot be applied directly. Resolve it to the model's initializer " +
                    "(ModelAttribute.Initializer, KaimingNormal unless set) before calling Initialize.");
            default:
                throw new ArgumentOutOfRangeException(
                    nameof(kind),
                    kind,
                    $"{(int)kind} is not a defined Initializer value.");
        }
    }

    private static void FillNormal(Span<float> weights, double standardDeviation, DeterministicRandom random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(standardDeviation * random.NextGaussian());
        }
    }

    private static void FillUniform(Span<float> weights, double bound, DeterministicRandom random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            // NextDouble is in [0, 1), so 2u - 1 is in [-1, 1).
            weights[i] = (float)(bound * (2.0 * random.NextDouble() - 1.0));
        }
    }

    private static void ValidateFan(int fan, string parameterName)
    {
        if (fan <= 0)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                fan,
                $"{parameterName} is {fan}; expected a positive number of connections.");
        }
    }

    private static void ValidateNegativeSlope(double negativeSlope)
    {
        if (!double.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(
                nameof(negativeSlope),
                negativeSlope,
                $"negativeSlope is {negativeSlope}; expected a finite LeakyReLU slope, or 0 for ReLU.");
        }
    }

    private static void ValidateScale(double scale, string parameterName)
    {
        if (!double.IsFinite(scale) || scale < 0.0)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                scale,
                $"{parameterName} is {scale}; expected a finite value of at least 0.");
        }
    }
}

namespace ModelCompiler.Training;

/// <summary>Weight initializers with seeded, reproducible output.</summary>
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
    public static void KaimingNormal(Span<float> weights, int fanIn, DeterministicRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentNullException.ThrowIfNull(random);

        double standardDeviation = Math.Sqrt(2.0 / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(standardDeviation * random.NextGaussian());
        }
    }
}

using ModelCompiler.Reference;
using Xunit;

namespace ModelCompiler.Tests.Reference;

/// <summary>
/// Compares <see cref="ReferenceNetwork{T}.ComputeGradients"/> in double precision with central finite
/// differences of <see cref="ReferenceNetwork{T}.Loss"/>, for every parameter and every input value.
/// </summary>
/// <remarks>
/// The step is h = 1e-6 * max(1, |x|). The central difference (L(x + h) - L(x - h)) / 2h has a truncation
/// error of about h^2 |L'''| / 6, around 1e-12, and a rounding error of about eps * |L| / h, around 1e-9 for
/// a loss near 2 (eps = 2.2e-16). A gradient therefore passes when
/// |analytic - numeric| &lt;= 1e-6 * max(|analytic|, |numeric|) + 1e-8. The absolute term covers gradients
/// that are zero or tiny, and a wrong index or a missing term moves a gradient by far more than that.
/// The check is only valid where the loss is smooth, so test points are drawn away from ReLU kinks and
/// max-pooling ties (see <see cref="FindPointAwayFromKinks"/>).
/// </remarks>
internal static class GradientChecker
{
    public const double RelativeStep = 1e-6;
    public const double RelativeTolerance = 1e-6;
    public const double AbsoluteTolerance = 1e-8;

    /// <summary>
    /// Minimum distance of a ReLU input from 0, and minimum gap between a pooling window's two largest
    /// values. A finite-difference step changes any activation by roughly 1e-6, far less than this margin,
    /// so no perturbation crosses a kink or changes which element is a window's maximum.
    /// </summary>
    public const double KinkMargin = 1e-3;

    /// <summary>
    /// Asserts that every parameter gradient and every input gradient of <paramref name="description"/>
    /// matches finite differences at a seeded random point away from kinks.
    /// </summary>
    public static void AssertGradientsMatch(ModelDescription description, int batchSize, int seed)
    {
        var network = new ReferenceNetwork<double>(description);
        ReferencePoint point = FindPointAwayFromKinks(network, batchSize, seed);

        var parameterGradients = new double[network.ParameterCount];
        var inputGradients = new double[batchSize * network.InputSize];
        network.ComputeGradients(point.Parameters, point.Input, point.Labels, batchSize, parameterGradients, inputGradients);

        List<string> parameterFailures = CompareWithFiniteDifferences(
            point.Parameters, parameterGradients, () => Loss(network, point), i => DescribeParameter(network, i));
        List<string> inputFailures = CompareWithFiniteDifferences(
            point.Input, inputGradients, () => Loss(network, point), i => $"input {i}");

        Assert.Empty(parameterFailures);
        Assert.Empty(inputFailures);
    }

    /// <summary>
    /// Returns a message for each entry of <paramref name="analytic"/> that differs from the central
    /// difference of <paramref name="loss"/> in the matching entry of <paramref name="values"/>.
    /// Each entry of <paramref name="values"/> is perturbed in place and then restored.
    /// </summary>
    public static List<string> CompareWithFiniteDifferences(
        double[] values, double[] analytic, Func<double> loss, Func<int, string> describe)
    {
        var failures = new List<string>();
        for (int i = 0; i < values.Length; i++)
        {
            double original = values[i];
            double step = RelativeStep * Math.Max(1.0, Math.Abs(original));

            values[i] = original + step;
            double lossAbove = loss();
            values[i] = original - step;
            double lossBelow = loss();
            values[i] = original;

            // Divide by the step actually taken, which rounding can make differ from 2 * step.
            double numeric = (lossAbove - lossBelow) / ((original + step) - (original - step));
            double allowed = (RelativeTolerance * Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric))) + AbsoluteTolerance;
            if (!(Math.Abs(analytic[i] - numeric) <= allowed))
            {
                failures.Add($"{describe(i)}: analytic {analytic[i]:R}, numeric {numeric:R}, allowed difference {allowed:G3}");
            }
        }

        return failures;
    }

    /// <summary>
    /// Returns the first seeded random point, starting at <paramref name="seed"/>, where every ReLU input is
    /// at least <see cref="KinkMargin"/> from 0 and every pooling window's two largest values differ by at
    /// least <see cref="KinkMargin"/>.
    /// </summary>
    /// <remarks>
    /// A window whose maximum is exactly 0 right after a ReLU is accepted: all its elements come from ReLU
    /// inputs of at most -<see cref="KinkMargin"/>, so every candidate's gradient is 0 before and after a
    /// perturbation, whichever element the tie rule picks.
    /// </remarks>
    public static ReferencePoint FindPointAwayFromKinks(ReferenceNetwork<double> network, int batchSize, int seed)
    {
        const int maxAttempts = 1000;
        for (int attempt = 0; attempt < maxAttempts; attempt++)
        {
            ReferencePoint point = ReferencePoint.Random(network, batchSize, seed + attempt);
            if (IsAwayFromKinks(network, point))
            {
                return point;
            }
        }

        throw new InvalidOperationException(
            $"No point away from ReLU kinks and pooling ties was found in {maxAttempts} seeds from {seed}. " +
            "Make the model smaller or lower the margin.");
    }

    /// <summary>Returns the input of layer <paramref name="layerIndex"/> for every example of the point.</summary>
    public static double[] LayerInput(ReferenceNetwork<double> network, ReferencePoint point, int layerIndex)
    {
        if (layerIndex == 0)
        {
            return point.Input;
        }

        // A network made of the layers before this one, followed by a loss, returns their output as its
        // logits. Its parameters are a prefix of the full buffer because layers are stored in order.
        ModelDescription description = network.Description;
        List<LayerDescription> prefixLayers = [.. description.Layers.Take(layerIndex), new SoftmaxCrossEntropyLayer()];
        var prefix = new ReferenceNetwork<double>(description with { Layers = prefixLayers });
        int prefixParameterCount = network.Layers[layerIndex].WeightOffset;
        return prefix.Forward(point.Parameters.AsSpan(0, prefixParameterCount), point.Input, point.BatchSize);
    }

    private static double Loss(ReferenceNetwork<double> network, ReferencePoint point) =>
        network.Loss(point.Parameters, point.Input, point.Labels, point.BatchSize);

    private static bool IsAwayFromKinks(ReferenceNetwork<double> network, ReferencePoint point)
    {
        for (int index = 0; index < network.Layers.Count; index++)
        {
            ReferenceLayerInfo layer = network.Layers[index];
            if (layer.Description is ReLULayer)
            {
                double[] input = LayerInput(network, point, index);
                if (input.Any(value => Math.Abs(value) < KinkMargin))
                {
                    return false;
                }
            }
            else if (layer.Description is MaxPool2DLayer pooling)
            {
                bool afterReLU = index > 0 && network.Layers[index - 1].Description is ReLULayer;
                double[] input = LayerInput(network, point, index);
                if (!WindowsHaveClearMaximum(pooling, layer, input, point.BatchSize, afterReLU))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool WindowsHaveClearMaximum(
        MaxPool2DLayer pooling, ReferenceLayerInfo layer, double[] input, int batchSize, bool afterReLU)
    {
        int stride = pooling.Stride == 0 ? pooling.Size : pooling.Stride;
        ReferenceShape shape = layer.InputShape;
        var window = new double[pooling.Size * pooling.Size];
        for (int n = 0; n < batchSize; n++)
        {
            for (int channel = 0; channel < shape.Channels; channel++)
            {
                for (int outY = 0; outY < layer.OutputShape.Height; outY++)
                {
                    for (int outX = 0; outX < layer.OutputShape.Width; outX++)
                    {
                        for (int y = 0; y < pooling.Size; y++)
                        {
                            for (int x = 0; x < pooling.Size; x++)
                            {
                                int index = (n * shape.Size) + shape.IndexOf(channel, (outY * stride) + y, (outX * stride) + x);
                                window[(y * pooling.Size) + x] = input[index];
                            }
                        }

                        Array.Sort(window);
                        double largest = window[^1];
                        bool deadWindow = afterReLU && largest == 0.0;
                        if (window.Length > 1 && !deadWindow && largest - window[^2] < KinkMargin)
                        {
                            return false;
                        }
                    }
                }
            }
        }

        return true;
    }

    private static string DescribeParameter(ReferenceNetwork<double> network, int parameterIndex)
    {
        for (int index = 0; index < network.Layers.Count; index++)
        {
            ReferenceLayerInfo layer = network.Layers[index];
            int weightEnd = layer.WeightOffset + layer.WeightCount;
            if (parameterIndex >= layer.WeightOffset && parameterIndex < weightEnd)
            {
                return $"parameter {parameterIndex} (layer {index} {layer.Description}, weight {parameterIndex - layer.WeightOffset})";
            }

            if (parameterIndex >= layer.BiasOffset && parameterIndex < layer.BiasOffset + layer.BiasCount)
            {
                return $"parameter {parameterIndex} (layer {index} {layer.Description}, bias {parameterIndex - layer.BiasOffset})";
            }
        }

        return $"parameter {parameterIndex}";
    }
}

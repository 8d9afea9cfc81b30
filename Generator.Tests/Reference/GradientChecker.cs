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
/// The check is only valid where the loss is smooth, so test points are drawn away from the kinks of ReLU,
/// LeakyReLU, PReLU, ELU and SELU at 0, from ties in max pooling and maxout, and from hinge-loss margins
/// (see <see cref="FindPointAwayFromKinks"/>).
/// </remarks>
internal static class GradientChecker
{
    public const double RelativeStep = 1e-6;
    public const double RelativeTolerance = 1e-6;
    public const double AbsoluteTolerance = 1e-8;

    /// <summary>
    /// Minimum distance of a kinked activation's input from 0, minimum gap between a pooling window's or maxout
    /// group's two largest values, and minimum distance of a hinge term from 0. A finite-difference step changes
    /// any activation by roughly 1e-6, far less than this margin, so no perturbation crosses a kink or changes
    /// which element is a maximum.
    /// </summary>
    public const double KinkMargin = 1e-3;

    /// <summary>
    /// Asserts that every parameter gradient and every input gradient of <paramref name="description"/>
    /// matches finite differences at a seeded random point away from kinks, in <paramref name="mode"/>.
    /// </summary>
    /// <remarks>
    /// Each loss evaluation gets a fresh copy of the point's state, because training mode updates it. In training
    /// mode the loss does not depend on the state, and in evaluation mode it reads the point's random running statistics.
    /// </remarks>
    public static void AssertGradientsMatch(ModelDescription description, int batchSize, int seed, ReferenceMode mode = ReferenceMode.Training)
    {
        var network = new ReferenceNetwork<double>(description);
        ReferencePoint point = FindPointAwayFromKinks(network, batchSize, seed, mode);

        var parameterGradients = new double[network.ParameterCount];
        var inputGradients = new double[batchSize * network.InputSize];
        network.ComputeGradients(
            point.Parameters, point.Input, point.Labels, batchSize, mode, point.CopyState(), parameterGradients, inputGradients);

        List<string> parameterFailures = CompareWithFiniteDifferences(
            point.Parameters, parameterGradients, () => Loss(network, point, mode), i => DescribeParameter(network, i));
        List<string> inputFailures = CompareWithFiniteDifferences(
            point.Input, inputGradients, () => Loss(network, point, mode), i => $"input {i}");

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
    /// Returns the first seeded random point, starting at <paramref name="seed"/>, where every kinked activation's
    /// input is at least <see cref="KinkMargin"/> from 0, every pooling window's and maxout group's two largest
    /// values differ by at least <see cref="KinkMargin"/>, and every hinge term is at least
    /// <see cref="KinkMargin"/> from 0.
    /// </summary>
    /// <remarks>
    /// A max-pooling window whose maximum is exactly 0 right after a ReLU is accepted: all its elements come from
    /// ReLU inputs of at most -<see cref="KinkMargin"/>, so every candidate's gradient is 0 before and after a
    /// perturbation, whichever element the tie rule picks.
    /// </remarks>
    public static ReferencePoint FindPointAwayFromKinks(
        ReferenceNetwork<double> network, int batchSize, int seed, ReferenceMode mode = ReferenceMode.Training)
    {
        const int maxAttempts = 1000;
        for (int attempt = 0; attempt < maxAttempts; attempt++)
        {
            ReferencePoint point = ReferencePoint.Random(network, batchSize, seed + attempt);
            if (IsAwayFromKinks(network, point, mode))
            {
                return point;
            }
        }

        throw new InvalidOperationException(
            $"No point away from activation kinks, maximum ties and hinge margins was found in {maxAttempts} seeds " +
            $"from {seed}. Make the model smaller or lower the margin.");
    }

    /// <summary>Returns the input of layer <paramref name="layerIndex"/> for every example of the point, in <paramref name="mode"/>.</summary>
    public static double[] LayerInput(
        ReferenceNetwork<double> network, ReferencePoint point, int layerIndex, ReferenceMode mode = ReferenceMode.Training)
    {
        if (layerIndex == 0)
        {
            return point.Input;
        }

        // A network made of the layers before this one, followed by a loss, returns their output as its
        // logits. Its parameters and state are prefixes of the full buffers because layers are stored in order.
        ModelDescription description = network.Description;
        List<LayerDescription> prefixLayers = [.. description.Layers.Take(layerIndex), new SoftmaxCrossEntropyLayer()];
        var prefix = new ReferenceNetwork<double>(description with { Layers = prefixLayers });
        ReferenceLayerInfo layer = network.Layers[layerIndex];
        double[] prefixState = point.State[..layer.StateOffset];
        return prefix.Forward(point.Parameters.AsSpan(0, layer.WeightOffset), point.Input, point.BatchSize, mode, prefixState);
    }

    private static double Loss(ReferenceNetwork<double> network, ReferencePoint point, ReferenceMode mode) =>
        network.Loss(point.Parameters, point.Input, point.Labels, point.BatchSize, mode, point.CopyState());

    private static bool IsAwayFromKinks(ReferenceNetwork<double> network, ReferencePoint point, ReferenceMode mode)
    {
        for (int index = 0; index < network.Layers.Count; index++)
        {
            ReferenceLayerInfo layer = network.Layers[index];
            bool accepted = layer.Description switch
            {
                ReLULayer or LeakyReLULayer or PReLULayer or ELULayer or SELULayer =>
                    LayerInput(network, point, index, mode).All(value => Math.Abs(value) >= KinkMargin),
                MaxPool2DLayer pooling => WindowsHaveClearMaximum(
                    pooling, layer, LayerInput(network, point, index, mode), point.BatchSize, afterReLU: index > 0 && network.Layers[index - 1].Description is ReLULayer),
                MaxoutLayer maxout => GroupsHaveClearMaximum(maxout, layer, LayerInput(network, point, index, mode), point.BatchSize),
                MulticlassHingeLayer hinge => HingeTermsAwayFromZero(hinge, LayerInput(network, point, index, mode), point.Labels, network.OutputSize),
                _ => true,
            };
            if (!accepted)
            {
                return false;
            }
        }

        return true;
    }

    private static bool WindowsHaveClearMaximum(
        MaxPool2DLayer pooling, ReferenceLayerInfo layer, double[] input, int batchSize, bool afterReLU)
    {
        // A stride of 0 means the window size of that dimension. Padding cells are never a maximum, so they are skipped.
        int strideHeight = pooling.StrideHeight == 0 ? pooling.KernelHeight : pooling.StrideHeight;
        int strideWidth = pooling.StrideWidth == 0 ? pooling.KernelWidth : pooling.StrideWidth;
        ReferenceShape shape = layer.InputShape;
        var window = new List<double>();
        for (int n = 0; n < batchSize; n++)
        {
            for (int channel = 0; channel < shape.Channels; channel++)
            {
                for (int outY = 0; outY < layer.OutputShape.Height; outY++)
                {
                    for (int outX = 0; outX < layer.OutputShape.Width; outX++)
                    {
                        window.Clear();
                        for (int y = 0; y < pooling.KernelHeight; y++)
                        {
                            for (int x = 0; x < pooling.KernelWidth; x++)
                            {
                                int row = (outY * strideHeight) - pooling.PaddingHeight + y;
                                int column = (outX * strideWidth) - pooling.PaddingWidth + x;
                                if (row >= 0 && row < shape.Height && column >= 0 && column < shape.Width)
                                {
                                    window.Add(input[(n * shape.Size) + shape.IndexOf(channel, row, column)]);
                                }
                            }
                        }

                        window.Sort();
                        double largest = window[^1];
                        bool deadWindow = afterReLU && largest == 0.0;
                        if (window.Count > 1 && !deadWindow && largest - window[^2] < KinkMargin)
                        {
                            return false;
                        }
                    }
                }
            }
        }

        return true;
    }

    private static bool GroupsHaveClearMaximum(MaxoutLayer maxout, ReferenceLayerInfo layer, double[] input, int batchSize)
    {
        ReferenceShape shape = layer.InputShape;
        int area = shape.Height * shape.Width;
        var group = new double[maxout.Pieces];
        for (int n = 0; n < batchSize; n++)
        {
            for (int outputChannel = 0; outputChannel < layer.OutputShape.Channels; outputChannel++)
            {
                for (int position = 0; position < area; position++)
                {
                    for (int piece = 0; piece < maxout.Pieces; piece++)
                    {
                        group[piece] = input[(n * shape.Size) + (((outputChannel * maxout.Pieces) + piece) * area) + position];
                    }

                    Array.Sort(group);
                    if (group[^1] - group[^2] < KinkMargin)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static bool HingeTermsAwayFromZero(MulticlassHingeLayer hinge, double[] logits, int[] labels, int classCount)
    {
        for (int n = 0; n < labels.Length; n++)
        {
            double labelLogit = logits[(n * classCount) + labels[n]];
            for (int j = 0; j < classCount; j++)
            {
                double term = hinge.Margin - labelLogit + logits[(n * classCount) + j];
                if (j != labels[n] && Math.Abs(term) < KinkMargin)
                {
                    return false;
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

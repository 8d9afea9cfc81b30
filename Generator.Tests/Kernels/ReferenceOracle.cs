using ModelCompiler.Reference;

namespace ModelCompiler.Tests.Kernels;

/// <summary>
/// The reference interpreter in double as the oracle for one layer: the layer's output, a gradient of its output,
/// and the layer's input and parameter gradients for that output gradient.
/// </summary>
/// <remarks>
/// The model is the layer followed by softmax cross-entropy, so the output gradient dy is the loss gradient with
/// respect to the layer's output, (softmax - onehot) / batchSize per example. It comes from a second network made of
/// the loss alone, whose input gradient is exactly that. The kernels under test get dy rounded to float.
/// </remarks>
internal static class ReferenceOracle
{
    /// <summary>Runs <paramref name="layer"/> on <paramref name="input"/> in <paramref name="mode"/> and returns the oracle's values.</summary>
    /// <param name="layer">The layer under test.</param>
    /// <param name="inputShape">Shape of one input example.</param>
    /// <param name="batchSize">Number of examples.</param>
    /// <param name="parameters">The layer's weights then biases, as the reference lays them out.</param>
    /// <param name="input">The input, converted to double exactly.</param>
    /// <param name="seed">Seed of the random labels.</param>
    /// <param name="mode">Training or evaluation mode.</param>
    /// <param name="state">The running statistics for batch normalization; null for the initial state.</param>
    public static OracleResult Run(
        LayerDescription layer,
        ReferenceShape inputShape,
        int batchSize,
        double[] parameters,
        float[] input,
        int seed,
        ReferenceMode mode = ReferenceMode.Training,
        double[]? state = null)
    {
        var description = new ModelDescription(inputShape.Channels, inputShape.Height, inputShape.Width, [layer, new SoftmaxCrossEntropyLayer()]);
        var network = new ReferenceNetwork<double>(description);
        double[] inputValues = input.Select(value => (double)value).ToArray();
        var random = new Random(seed);
        int[] labels = Enumerable.Range(0, batchSize).Select(_ => random.Next(network.OutputSize)).ToArray();
        state ??= network.CreateInitialState();

        double[] stateAfterForward = (double[])state.Clone();
        double[] output = network.Forward(parameters, inputValues, batchSize, mode, stateAfterForward);

        ReferenceShape outputShape = network.Layers[0].OutputShape;
        var lossOnly = new ReferenceNetwork<double>(
            new ModelDescription(outputShape.Channels, outputShape.Height, outputShape.Width, [new SoftmaxCrossEntropyLayer()]));
        var outputGradient = new double[output.Length];
        lossOnly.ComputeGradients([], output, labels, batchSize, ReferenceMode.Training, [], [], outputGradient);

        var parameterGradients = new double[network.ParameterCount];
        var inputGradient = new double[inputValues.Length];
        network.ComputeGradients(
            parameters, inputValues, labels, batchSize, mode, (double[])state.Clone(), parameterGradients, inputGradient);
        return new OracleResult(network.Layers[0], output, outputGradient, inputGradient, parameterGradients, stateAfterForward);
    }

    /// <summary>Returns <paramref name="values"/> rounded to float.</summary>
    public static float[] ToFloats(double[] values) => values.Select(value => (float)value).ToArray();
}

/// <summary>The oracle's values for one layer; see <see cref="ReferenceOracle"/>.</summary>
/// <param name="Layer">The layer with its inferred shapes and parameter ranges.</param>
/// <param name="Output">The layer's output.</param>
/// <param name="OutputGradient">The gradient of the loss with respect to the output, the dy given to the kernels.</param>
/// <param name="InputGradient">The gradient with respect to the layer's input.</param>
/// <param name="ParameterGradients">The gradients of the weights then biases.</param>
/// <param name="StateAfterForward">The running statistics after the forward pass (updated in training mode).</param>
internal sealed record OracleResult(
    ReferenceLayerInfo Layer,
    double[] Output,
    double[] OutputGradient,
    double[] InputGradient,
    double[] ParameterGradients,
    double[] StateAfterForward);

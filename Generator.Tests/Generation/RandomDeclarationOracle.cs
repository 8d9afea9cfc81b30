namespace ModelCompiler.Tests.Generation;

/// <summary>
/// An independent statement of the shape rules, used as the oracle for random declarations. It shares no code
/// with the generator's validator and computes in 128-bit integers, so no rule can overflow.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Every input dimension, kernel size, filter count, unit count and stride is at least 1, and every padding at least 0.</item>
/// <item>A convolution outputs (W - F + 2P)/S + 1 and needs F &lt;= W + 2P. A pooling layer outputs (W - F)/S + 1, with the stride defaulting to the window size, and needs F &lt;= W. Both outputs must be whole numbers.</item>
/// <item>A dense layer flattens its input, so no convolution or pooling layer may follow it.</item>
/// <item>The model declares exactly one loss, as its last layer.</item>
/// <item>Every tensor of one example, the input included, has at most 2^26 values, and the model has at most 2^28 parameters.</item>
/// </list>
/// Unwritten [Model] dimensions are 1, unwritten convolution strides 1 and paddings 0. An unwritten filter count or
/// kernel size is 0, which is invalid.
/// </remarks>
internal static class RandomDeclarationOracle
{
    public const long MaxValuesPerExample = 1L << 26;

    public const long MaxParameters = 1L << 28;

    /// <summary>Returns the first rule that <paramref name="declaration"/> breaks, or null when it is valid.</summary>
    public static string? FindViolation(RandomDeclaration declaration)
    {
        Int128 channels = declaration.Channels ?? 1;
        Int128 height = declaration.Height ?? 1;
        Int128 width = declaration.Width ?? 1;
        if (channels < 1 || height < 1 || width < 1)
        {
            return "an input dimension is below 1";
        }

        if (channels * height * width > MaxValuesPerExample)
        {
            return $"the input has {channels * height * width} values, more than 2^26";
        }

        var losses = declaration.Layers.Count(layer => layer.Kind == RandomLayerKind.SoftmaxCrossEntropy);
        if (losses != 1)
        {
            return $"the model has {losses} losses";
        }

        if (declaration.Layers[^1].Kind != RandomLayerKind.SoftmaxCrossEntropy)
        {
            return "the loss is not the last layer";
        }

        bool flat = false;
        Int128 parameters = 0;
        for (int i = 0; i < declaration.Layers.Count - 1; i++)
        {
            var layer = declaration.Layers[i];
            string name = $"layer {i + 1} ({layer.Kind})";
            switch (layer.Kind)
            {
                case RandomLayerKind.Conv2D:
                {
                    Int128 filters = layer.Units ?? 0, size = layer.Size ?? 0, stride = layer.Stride ?? 1, padding = layer.Padding ?? 0;
                    if (filters < 1 || size < 1 || stride < 1 || padding < 0)
                    {
                        return $"{name} has an argument out of range";
                    }

                    if (flat)
                    {
                        return $"{name} follows a dense layer";
                    }

                    var output = (Height: WindowOutput(height, size, stride, padding), Width: WindowOutput(width, size, stride, padding));
                    if (output.Height is null || output.Width is null)
                    {
                        return $"{name} does not fit its input a whole number of times";
                    }

                    parameters += size * size * channels * filters + filters;
                    (channels, height, width) = (filters, output.Height.Value, output.Width.Value);
                    break;
                }

                case RandomLayerKind.MaxPool2D:
                {
                    Int128 size = layer.Size ?? 0, stride = layer.Stride ?? size;
                    if (size < 1 || stride < 1)
                    {
                        return $"{name} has an argument out of range";
                    }

                    if (flat)
                    {
                        return $"{name} follows a dense layer";
                    }

                    var output = (Height: WindowOutput(height, size, stride, 0), Width: WindowOutput(width, size, stride, 0));
                    if (output.Height is null || output.Width is null)
                    {
                        return $"{name} does not fit its input a whole number of times";
                    }

                    (height, width) = (output.Height.Value, output.Width.Value);
                    break;
                }

                case RandomLayerKind.Dense:
                {
                    Int128 units = layer.Units ?? 0;
                    if (units < 1)
                    {
                        return $"{name} has units below 1";
                    }

                    parameters += channels * height * width * units + units;
                    (channels, height, width) = (units, 1, 1);
                    flat = true;
                    break;
                }
            }

            if (channels * height * width > MaxValuesPerExample)
            {
                return $"{name} outputs {channels * height * width} values, more than 2^26";
            }

            if (parameters > MaxParameters)
            {
                return $"the model has {parameters} parameters up to {name}, more than 2^28";
            }
        }

        return null;
    }

    /// <summary>True when the declaration's input dimensions, all at least 1, hold more than 2^26 values.</summary>
    public static bool InputExceedsLimit(RandomDeclaration declaration)
    {
        Int128 channels = declaration.Channels ?? 1, height = declaration.Height ?? 1, width = declaration.Width ?? 1;
        return channels >= 1 && height >= 1 && width >= 1 && channels * height * width > MaxValuesPerExample;
    }

    /// <summary>True when the C# compiler must reject the declaration's text, whatever its shapes.</summary>
    public static bool HasCompilerError(RandomDeclaration declaration) =>
        declaration.BrokenAttribute is not null
        || declaration.Layers.Count(layer => layer.Kind == RandomLayerKind.SoftmaxCrossEntropy) > 1;

    /// <summary>(input - size + 2*padding)/stride + 1, or null when the window does not fit or the division leaves a remainder.</summary>
    private static Int128? WindowOutput(Int128 input, Int128 size, Int128 stride, Int128 padding)
    {
        Int128 span = input - size + 2 * padding;
        if (span < 0 || span % stride != 0)
        {
            return null;
        }

        return span / stride + 1;
    }
}

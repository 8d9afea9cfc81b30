namespace ModelCompiler.Reference;

/// <summary>Shape rules for normalization layers. Each keeps its input shape.</summary>
internal static partial class ReferenceShapeInference
{
    private static ReferenceLayerInfo InferBatchNorm(string prefix, BatchNormLayer layer, ReferenceShape input, int parameterOffset)
    {
        RequireEpsilon(prefix, layer.Epsilon);
        if (!(layer.Momentum >= 0.0 && layer.Momentum <= 1.0))
        {
            throw new ArgumentException($"{prefix}: Momentum must be in [0, 1], but is {layer.Momentum}.", "description");
        }

        ReferenceLayerInfo info = WithParameters(prefix, layer, input, input, parameterOffset, input.Channels, input.Channels);
        return info with { StateCount = ReferenceBatchNorm.StatisticsPerChannel * input.Channels };
    }

    private static ReferenceLayerInfo InferLayerNorm(string prefix, LayerNormLayer layer, ReferenceShape input, int parameterOffset)
    {
        RequireEpsilon(prefix, layer.Epsilon);
        return WithParameters(prefix, layer, input, input, parameterOffset, input.Size, input.Size);
    }

    private static ReferenceLayerInfo InferInstanceNorm(string prefix, InstanceNormLayer layer, ReferenceShape input, int parameterOffset)
    {
        RequireEpsilon(prefix, layer.Epsilon);
        if (input.Height * input.Width == 1)
        {
            throw new ArgumentException(
                $"{prefix}: instance normalization needs more than 1 value per channel, but the input {input} has " +
                "1 x 1 spatial values, so every normalized value would be 0. PyTorch's InstanceNorm2d rejects such " +
                "input too. Use LayerNormLayer or BatchNormLayer after a dense layer.",
                "description");
        }

        int count = layer.Affine ? input.Channels : 0;
        return WithParameters(prefix, layer, input, input, parameterOffset, count, count);
    }

    private static ReferenceLayerInfo InferGroupNorm(string prefix, GroupNormLayer layer, ReferenceShape input, int parameterOffset)
    {
        RequireEpsilon(prefix, layer.Epsilon);
        if (layer.Groups < 1 || input.Channels % layer.Groups != 0)
        {
            IEnumerable<int> divisors = Enumerable.Range(1, input.Channels).Where(groups => input.Channels % groups == 0);
            throw new ArgumentException(
                $"{prefix}: Groups must divide the {input.Channels} input channels, but is {layer.Groups}. " +
                $"Valid group counts are {string.Join(", ", divisors)}.",
                "description");
        }

        return WithParameters(prefix, layer, input, input, parameterOffset, input.Channels, input.Channels);
    }

    /// <summary>Accepts a finite epsilon of 0 or more. PyTorch accepts 0 too, which divides by zero for a constant input.</summary>
    private static void RequireEpsilon(string prefix, double epsilon)
    {
        if (!(double.IsFinite(epsilon) && epsilon >= 0.0))
        {
            throw new ArgumentException($"{prefix}: Epsilon must be a finite number of 0 or more, but is {epsilon}.", "description");
        }
    }
}

namespace ModelCompiler.Reference;

/// <summary>Shape rules for activation layers.</summary>
internal static partial class ReferenceShapeInference
{
    /// <summary>Checks a parameter-free element-wise layer's hyperparameters. Its output shape is its input shape.</summary>
    private static ReferenceLayerInfo InferElementwise(string prefix, LayerDescription layer, ReferenceShape input, int parameterOffset)
    {
        switch (layer)
        {
            case LeakyReLULayer leaky:
                RequireFinite(prefix, "Slope", leaky.Slope);
                break;
            case ELULayer elu:
                RequireFinite(prefix, "Alpha", elu.Alpha);
                break;
            case SwishLayer swish:
                RequireFinite(prefix, "Beta", swish.Beta);
                break;
            case GELULayer gelu when !Enum.IsDefined(gelu.Approximation):
                throw new ArgumentException(
                    $"{prefix}: Approximation must be GeluApproximation.None or GeluApproximation.Tanh, but is {(int)gelu.Approximation}.",
                    "description");
        }

        return WithoutParameters(layer, input, input, parameterOffset);
    }

    private static ReferenceLayerInfo InferPReLU(string prefix, PReLULayer layer, ReferenceShape input, int parameterOffset)
    {
        return WithParameters(prefix, layer, input, input, parameterOffset, ReferencePReLU.SlopeCount(layer, input), biasCount: 0);
    }

    private static ReferenceLayerInfo InferMaxout(string prefix, MaxoutLayer layer, ReferenceShape input, int parameterOffset)
    {
        if (layer.Pieces < 2)
        {
            throw new ArgumentException($"{prefix}: Pieces must be at least 2, but is {layer.Pieces}.", "description");
        }

        if (input.Channels % layer.Pieces != 0)
        {
            int lower = input.Channels / layer.Pieces * layer.Pieces;
            int upper = lower + layer.Pieces;
            string suggestion = lower > 0 ? $"{lower} or {upper}" : $"{upper}";
            throw new ArgumentException(
                $"{prefix}: the input has {input.Channels} channels, which is not a multiple of Pieces {layer.Pieces}. " +
                $"Make the previous layer produce a multiple of {layer.Pieces} channels, for example {suggestion}.",
                "description");
        }

        var output = new ReferenceShape(input.Channels / layer.Pieces, input.Height, input.Width);
        return WithoutParameters(layer, input, output, parameterOffset);
    }
}

namespace ModelCompiler;

/// <summary>
/// Batch normalization (PyTorch's <c>BatchNorm1d</c> after a dense layer, <c>BatchNorm2d</c> after a spatial one):
/// each channel is normalized over the batch, height and width with the batch's biased variance, then scaled by
/// gamma and shifted by beta (learnable, one each per channel).
/// </summary>
/// <remarks>
/// In training mode the layer also updates running averages: running = (1 - Momentum) * running + Momentum * batch
/// statistic, with the unbiased variance for the running variance. In evaluation mode it uses the running averages
/// instead of batch statistics, and is a fixed affine map that inference folds into a directly preceding
/// convolution or dense layer. Forgetting to switch a model to evaluation mode before inference is the most common
/// BatchNorm mistake.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : Attribute
{
    /// <summary>Added to the variance before the square root; 1e-5 unless set, as in PyTorch.</summary>
    public double Epsilon { get; set; } = 1e-5;

    /// <summary>Weight of each new batch in the running averages; 0.1 unless set, as in PyTorch.</summary>
    public double Momentum { get; set; } = 0.1;
}

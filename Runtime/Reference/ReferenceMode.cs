namespace ModelCompiler.Reference;

/// <summary>
/// Whether a <see cref="ReferenceNetwork{T}"/> pass behaves as in training or as in evaluation, like PyTorch's
/// <c>module.train()</c> and <c>module.eval()</c>. Only <see cref="BatchNormLayer"/> depends on it.
/// </summary>
public enum ReferenceMode
{
    /// <summary>Batch normalization uses the batch statistics and updates its running statistics.</summary>
    Training,

    /// <summary>Batch normalization uses its running statistics and leaves them unchanged.</summary>
    Evaluation,
}

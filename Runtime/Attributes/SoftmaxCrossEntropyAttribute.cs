namespace ModelCompiler;

/// <summary>
/// Softmax followed by the cross-entropy loss against integer class labels, averaged over the batch
/// (PyTorch's <c>CrossEntropyLoss</c> with mean reduction). Must be the last layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SoftmaxCrossEntropyAttribute : Attribute
{
}

namespace ModelCompiler;

/// <summary>
/// Multiclass hinge (SVM) loss against integer class labels, as PyTorch's <c>MultiMarginLoss</c> with p = 1: for
/// each example, the sum over wrong classes j of max(0, Margin - x[label] + x[j]), divided by the number of
/// classes, then averaged over the batch. The textbook SVM loss omits the division by the class count; multiply
/// by it to compare. Must be the last layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MulticlassHingeAttribute : Attribute
{
    /// <summary>Required gap between the true class's score and every other score; 1.0 unless set.</summary>
    public double Margin { get; set; } = 1.0;
}

namespace ModelCompiler;

/// <summary>
/// Whether a generated model is training or evaluating, which matters for BatchNorm layers only: training
/// normalizes with the batch's statistics and updates the running averages, evaluation uses the running averages.
/// </summary>
public enum ModelMode
{
    /// <summary>Batch statistics, running averages updated by every forward pass (PyTorch's <c>model.train()</c>).</summary>
    Training = 0,

    /// <summary>Running averages, nothing updated; the output of an example does not depend on the rest of its batch (PyTorch's <c>model.eval()</c>).</summary>
    Evaluation = 1,
}

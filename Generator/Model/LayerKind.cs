namespace ModelCompiler.Generator.Model
{
    /// <summary>The layer attributes the generator understands.</summary>
    internal enum LayerKind
    {
        Conv2D,
        MaxPool2D,
        Dense,
        ReLU,
        SoftmaxCrossEntropy,
    }
}

namespace ModelCompiler.Generator.Model
{
    /// <summary>The layer attributes the generator understands.</summary>
    internal enum LayerKind
    {
        Conv2D,
        MaxPool2D,
        AvgPool2D,
        GlobalAvgPool2D,
        Dense,
        ReLU,
        Sigmoid,
        Tanh,
        LeakyReLU,
        PReLU,
        ELU,
        SELU,
        Maxout,
        Swish,
        GELU,
        BatchNorm,
        LayerNorm,
        InstanceNorm,
        GroupNorm,
        SoftmaxCrossEntropy,
        MulticlassHinge,
    }
}

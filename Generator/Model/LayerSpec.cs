namespace ModelCompiler.Generator.Model
{
    /// <summary>
    /// One validated layer as plain values. Each kind reads only the properties that its attribute declares;
    /// the rest keep their defaults. Window properties are per dimension, with square shorthands already resolved.
    /// </summary>
    internal sealed record LayerSpec(LayerKind Kind)
    {
        /// <summary>Filters of a convolution, units of a dense layer, pieces of maxout, groups of group normalization.</summary>
        public int Units { get; init; }

        public int KernelHeight { get; init; }

        public int KernelWidth { get; init; }

        public int StrideHeight { get; init; }

        public int StrideWidth { get; init; }

        public int PaddingHeight { get; init; }

        public int PaddingWidth { get; init; }

        public int DilationHeight { get; init; } = 1;

        public int DilationWidth { get; init; } = 1;

        /// <summary>LeakyReLU slope, ELU alpha, Swish beta, hinge margin, or normalization epsilon.</summary>
        public double Value { get; init; }

        /// <summary>BatchNorm momentum.</summary>
        public double Momentum { get; init; }

        /// <summary>PReLU shared slope, AvgPool2D counting padding, InstanceNorm affine, or GELU's tanh form.</summary>
        public bool Option { get; init; }

        /// <summary>Weight initializer as the runtime's Initializer value, already resolved from the model default.</summary>
        public int Initializer { get; init; }

        public double InitializerScale { get; init; }
    }
}

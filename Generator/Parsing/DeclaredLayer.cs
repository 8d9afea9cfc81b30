using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Parsing
{
    /// <summary>
    /// One attribute argument as written: its value, whether the user set it, and where it is, so that a
    /// diagnostic about it can underline exactly that argument. Lives only inside the parse step.
    /// </summary>
    internal sealed class DeclaredArgument
    {
        public DeclaredArgument(string name, int value, bool isSet, LocationInfo? location)
        {
            Name = name;
            Value = value;
            IsSet = isSet;
            Location = location;
        }

        public string Name { get; }

        public int Value { get; }

        public bool IsSet { get; }

        public LocationInfo? Location { get; }
    }

    /// <summary>A layer attribute as written, before validation. Lives only inside the parse step.</summary>
    internal sealed class DeclaredLayer
    {
        public DeclaredLayer(LayerKind kind, int number, LocationInfo? location)
        {
            Kind = kind;
            Number = number;
            Location = location;
        }

        public LayerKind Kind { get; }

        /// <summary>Position among the layer attributes, counting from 1, as messages show it.</summary>
        public int Number { get; }

        public LocationInfo? Location { get; }

        public string Name => Kind.ToString();

        /// <summary>Filters of a convolution or Units of a dense layer.</summary>
        public DeclaredArgument? Units { get; set; }

        public DeclaredArgument? Size { get; set; }

        public DeclaredArgument? Stride { get; set; }

        public DeclaredArgument? Padding { get; set; }
    }
}

using System.Collections.Generic;
using ModelCompiler.Generator.Model;

namespace ModelCompiler.Generator.Parsing
{
    /// <summary>
    /// One attribute argument as written: its constant value, and where it is, so that a diagnostic about it can
    /// underline exactly that argument. Lives only inside the parse step.
    /// </summary>
    internal sealed class DeclaredArgument
    {
        public DeclaredArgument(string name, object? value, bool isSet, LocationInfo? location)
        {
            Name = name;
            Value = value;
            IsSet = isSet;
            Location = location;
        }

        public string Name { get; }

        /// <summary>The constant: an int, double, bool, or an enum's underlying int.</summary>
        public object? Value { get; }

        public bool IsSet { get; }

        public LocationInfo? Location { get; }

        public int IntValue => Value is int value ? value : 0;

        public double DoubleValue => Value switch
        {
            double value => value,
            float value => value,
            int value => value,
            _ => 0,
        };

        public bool BoolValue => Value is bool value && value;
    }

    /// <summary>A layer attribute as written, before validation. Lives only inside the parse step.</summary>
    internal sealed class DeclaredLayer
    {
        private readonly Dictionary<string, DeclaredArgument> _arguments = new Dictionary<string, DeclaredArgument>();

        public DeclaredLayer(LayerKind kind, int number, LocationInfo? location)
        {
            Kind = kind;
            Number = number;
            Location = location;
        }

        public LayerKind Kind { get; }

        /// <summary>Position among the layer attributes, counting from 1, as messages show it.</summary>
        public int Number { get; set; }

        /// <summary>The attribute name, where diagnostics about missing arguments go.</summary>
        public LocationInfo? Location { get; }

        public string Name => Kind.ToString();

        public IEnumerable<DeclaredArgument> Arguments => _arguments.Values;

        public void Add(DeclaredArgument argument) => _arguments[argument.Name] = argument;

        /// <summary>Returns the argument written with <paramref name="name"/>, or an unset one with <paramref name="defaultValue"/> located on the attribute name.</summary>
        public DeclaredArgument Get(string name, object? defaultValue) =>
            _arguments.TryGetValue(name, out var argument) ? argument : new DeclaredArgument(name, defaultValue, isSet: false, Location);

        public bool IsSet(string name) => _arguments.ContainsKey(name);
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ModelCompiler.Generator.Model
{
    /// <summary>
    /// A diagnostic as plain data: which descriptor, where, the message arguments already formatted as strings,
    /// and properties ("key=value") for code fixes. <see cref="Diagnostic"/> objects are created only at report time
    /// because their equality is not reliable enough for the incremental cache.
    /// </summary>
    internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        /// <summary>"key=value" pairs passed to the diagnostic's properties, read by code fixes.</summary>
        public EquatableArray<string> Properties { get; init; } = EquatableArray<string>.Empty;

        public Diagnostic ToDiagnostic()
        {
            var descriptor = Diagnostics.DiagnosticDescriptors.ById(DescriptorId);
            var location = Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None;
            var properties = ImmutableDictionary.CreateBuilder<string, string?>();
            foreach (string pair in Properties)
            {
                int separator = pair.IndexOf('=');
                properties[pair.Substring(0, separator)] = pair.Substring(separator + 1);
            }

            return Diagnostic.Create(descriptor, location, properties.ToImmutable(), System.Linq.Enumerable.ToArray<object>(Arguments));
        }
    }
}

using Microsoft.CodeAnalysis;

namespace ModelCompiler.Generator.Model
{
    /// <summary>
    /// A diagnostic as plain data: which descriptor, where, and the message arguments already formatted
    /// as strings. <see cref="Diagnostic"/> objects are created only at report time because their equality
    /// is not reliable enough for the incremental cache.
    /// </summary>
    internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public Diagnostic ToDiagnostic()
        {
            var descriptor = Diagnostics.DiagnosticDescriptors.ById(DescriptorId);
            var location = Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None;
            return Diagnostic.Create(descriptor, location, System.Linq.Enumerable.ToArray<object>(Arguments));
        }
    }
}

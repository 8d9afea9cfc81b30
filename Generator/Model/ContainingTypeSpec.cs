namespace ModelCompiler.Generator.Model
{
    /// <summary>A type that encloses a nested model class, as its keyword and name ("class", "Outer").</summary>
    internal sealed record ContainingTypeSpec(string Keyword, string Name);
}

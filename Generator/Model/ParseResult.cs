namespace ModelCompiler.Generator.Model
{
    /// <summary>
    /// What the parse step returns for one <c>[Model]</c> class: the model to emit, or null when the
    /// declaration has errors, and the diagnostics to report. Same equality contract as <see cref="ModelSpec"/>.
    /// </summary>
    internal sealed record ParseResult(ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}

using Microsoft.CodeAnalysis.Text;
using ModelCompiler.CodeFixes;
using Xunit;

namespace ModelCompiler.Tests.CodeFixes;

/// <summary>
/// MC0005 fixes: the settings the generator suggests for an output size that is not a whole number, one action per
/// setting, the exact text each action produces, and a second generator run that accepts it.
/// </summary>
public sealed class SetWindowArgumentCodeFixTests
{
    /// <summary>A model with the window layer {0} on a {1} x {2} input, followed by layers that accept any output size.</summary>
    private const string Template = """
        using ModelCompiler;

        [Model(Channels = 1, Height = {1}, Width = {2})]
        {0}
        [ReLU]
        [Dense(10)]
        [SoftmaxCrossEntropy]
        public sealed partial class Net { }

        """;

    // On a 28x28 input, (28 - 5 + 2*0)/3 + 1 = 8.67 in both dimensions, reported on Stride.
    private const string StridedConvolution = "[Conv2D(Filters = 8, Size = 5, Stride = 3)]";

    // On a 28x28 input, height (28 - 5 + 2*1)/1 + 1 = 26 is whole, but width (28 - 5 + 2*1)/3 + 1 = 9.33 is not, reported on StrideWidth.
    private const string WidthStridedConvolution = "[Conv2D(Filters = 4, Size = 5, Padding = 1, StrideHeight = 1, StrideWidth = 3)]";

    // On a 7x7 input, (7 - 2)/2 + 1 = 3.5, reported on Size because the stride is not written and follows it.
    private const string Pooling = "[MaxPool2D(Size = 2)]";

    // On an 8x8 input, height (8 - 2)/2 + 1 = 4 is whole, but width (8 - 3)/3 + 1 = 2.67 is not, reported on KernelWidth.
    private const string RectangularPooling = "[MaxPool2D(KernelHeight = 2, KernelWidth = 3)]";

    [Fact]
    public async Task OffersEverySuggestedSettingOfConvolution()
    {
        var titles = await OfferedTitlesAsync(StridedConvolution, 28);

        Assert.Equal(new[] { "Set Padding = 2 (output 10)", "Set Stride = 1 (output 24)", "Set Stride = 23 (output 2)" }, titles);
    }

    [Theory]
    [InlineData("Set Padding = 2 (output 10)", "[Conv2D(Filters = 8, Size = 5, Stride = 3, Padding = 2)]")]
    [InlineData("Set Stride = 1 (output 24)", "[Conv2D(Filters = 8, Size = 5, Stride = 1)]")]
    [InlineData("Set Stride = 23 (output 2)", "[Conv2D(Filters = 8, Size = 5, Stride = 23)]")]
    public async Task SetsConvolutionArgument(string title, string expectedLayer) =>
        await AssertFixAsync(StridedConvolution, 28, title, expectedLayer);

    [Fact]
    public async Task OffersPerDimensionSettings()
    {
        var titles = await OfferedTitlesAsync(WidthStridedConvolution, 28);

        Assert.Equal(new[] { "Set PaddingWidth = 2 (output 10)", "Set StrideWidth = 1 (output 26)", "Set StrideWidth = 5 (output 6)" }, titles);
    }

    [Theory]
    [InlineData("Set StrideWidth = 1 (output 26)", "[Conv2D(Filters = 4, Size = 5, Padding = 1, StrideHeight = 1, StrideWidth = 1)]")]
    [InlineData("Set StrideWidth = 5 (output 6)", "[Conv2D(Filters = 4, Size = 5, Padding = 1, StrideHeight = 1, StrideWidth = 5)]")]
    // Padding sets both dimensions, so it becomes PaddingHeight to keep the height's padding next to the new PaddingWidth.
    [InlineData("Set PaddingWidth = 2 (output 10)", "[Conv2D(Filters = 4, Size = 5, PaddingHeight = 1, PaddingWidth = 2, StrideHeight = 1, StrideWidth = 3)]")]
    public async Task SetsPerDimensionArgument(string title, string expectedLayer) =>
        await AssertFixAsync(WidthStridedConvolution, 28, title, expectedLayer);

    [Fact]
    public async Task OffersEverySuggestedSettingOfPooling()
    {
        var titles = await OfferedTitlesAsync(Pooling, 7);

        Assert.Equal(
            new[]
            {
                "Set Size = 1 and Stride = 2 (output 4)",
                "Set Size = 3 and Stride = 2 (output 3)",
                "Set Stride = 1 (output 6)",
                "Set Stride = 5 (output 2)",
            },
            titles);
    }

    [Theory]
    // The stride defaulted to the old window size, so the fix writes it to keep the new size from changing it too.
    [InlineData("Set Size = 1 and Stride = 2 (output 4)", "[MaxPool2D(Size = 1, Stride = 2)]")]
    [InlineData("Set Size = 3 and Stride = 2 (output 3)", "[MaxPool2D(Size = 3, Stride = 2)]")]
    [InlineData("Set Stride = 1 (output 6)", "[MaxPool2D(Size = 2, Stride = 1)]")]
    [InlineData("Set Stride = 5 (output 2)", "[MaxPool2D(Size = 2, Stride = 5)]")]
    public async Task SetsPoolingArgument(string title, string expectedLayer) =>
        await AssertFixAsync(Pooling, 7, title, expectedLayer);

    [Fact]
    public async Task PoolingSizeAloneAlsoChangesStride()
    {
        // Why the fix writes the stride: with Size = 3 alone the stride follows it to 3, and (7 - 3)/3 + 1 = 2.33.
        using var harness = new CodeFixHarness(Model("[MaxPool2D(Size = 3)]", 7));

        var diagnostic = await harness.SingleDiagnosticAsync("MC0005");

        Assert.Contains("(7 - 3)/3 + 1 = 2.33", diagnostic.GetMessage());
    }

    [Fact]
    public async Task SetsPerDimensionPoolingWindow()
    {
        var titles = await OfferedTitlesAsync(RectangularPooling, 8);

        Assert.Equal(
            new[] { "Set KernelWidth = 2 and StrideWidth = 3 (output 3)", "Set KernelWidth = 5 and StrideWidth = 3 (output 2)", "Set StrideWidth = 1 (output 6)", "Set StrideWidth = 5 (output 2)" },
            titles);
        await AssertFixAsync(RectangularPooling, 8, titles[0], "[MaxPool2D(KernelHeight = 2, KernelWidth = 2, StrideWidth = 3)]");
    }

    [Fact]
    public async Task OffersSameActionsForSourceLocation()
    {
        using var harness = new CodeFixHarness(Model(StridedConvolution, 28));
        var diagnostic = await CodeFixHarness.InDocumentAsync(await harness.SingleDiagnosticAsync("MC0005"), harness.Document);
        var actions = await CodeFixHarness.GetActionsAsync(new SetWindowArgumentCodeFixProvider(), harness.Document, diagnostic);

        Assert.True(diagnostic.Location.IsInSource, "The re-created diagnostic has no location in the syntax tree.");
        Assert.Equal(new[] { "Set Padding = 2 (output 10)", "Set Stride = 1 (output 24)", "Set Stride = 23 (output 2)" }, actions.Select(action => action.Title));
        var fixedDocument = await harness.ApplyAsync(actions[1]);
        Assert.Equal(Model("[Conv2D(Filters = 8, Size = 5, Stride = 1)]", 28), (await fixedDocument.GetTextAsync()).ToString());
    }

    [Fact]
    public async Task OffersNothingWhenTextMovedSinceDiagnostic()
    {
        using var harness = new CodeFixHarness(Model(StridedConvolution, 28));
        var diagnostic = await harness.SingleDiagnosticAsync("MC0005");

        // An edit above the layer shifts it, so the diagnostic's span, from the earlier text, no longer covers Stride.
        var edited = harness.Document.WithText(SourceText.From("// A comment line.\n" + Model(StridedConvolution, 28)));
        var actions = await CodeFixHarness.GetActionsAsync(new SetWindowArgumentCodeFixProvider(), edited, diagnostic);

        Assert.Empty(actions);
    }

    private static string Model(string layer, int inputSize) =>
        Template.Replace("{0}", layer).Replace("{1}", inputSize.ToString()).Replace("{2}", inputSize.ToString());

    private static async Task<List<string>> OfferedTitlesAsync(string layer, int inputSize)
    {
        using var harness = new CodeFixHarness(Model(layer, inputSize));
        var diagnostic = await harness.SingleDiagnosticAsync("MC0005");

        var actions = await CodeFixHarness.GetActionsAsync(new SetWindowArgumentCodeFixProvider(), harness.Document, diagnostic);

        return actions.Select(action => action.Title).ToList();
    }

    /// <summary>
    /// Applies the action titled <paramref name="title"/>, asserts that only the layer's line changed, to
    /// <paramref name="expectedLayer"/>, and that the generator then accepts the model.
    /// </summary>
    private static async Task AssertFixAsync(string layer, int inputSize, string title, string expectedLayer)
    {
        using var harness = new CodeFixHarness(Model(layer, inputSize));
        var diagnostic = await harness.SingleDiagnosticAsync("MC0005");
        var actions = await CodeFixHarness.GetActionsAsync(new SetWindowArgumentCodeFixProvider(), harness.Document, diagnostic);
        var action = Assert.Single(actions, a => a.Title == title);

        var fixedDocument = await harness.ApplyAsync(action);

        Assert.Equal(Model(expectedLayer, inputSize), (await fixedDocument.GetTextAsync()).ToString());
        Assert.Empty(await CodeFixHarness.RunGeneratorAsync(fixedDocument));
    }
}

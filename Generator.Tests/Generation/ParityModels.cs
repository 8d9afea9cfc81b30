using ModelCompiler.Tests.Models;

namespace ModelCompiler.Tests.Generation;

/// <summary>The generated test models by name, with their descriptions, for the parity tests.</summary>
internal static class ParityModels
{
    public static readonly IReadOnlyDictionary<string, Func<(ICompiledModel Model, ModelDescription Description)>> All =
        new Dictionary<string, Func<(ICompiledModel, ModelDescription)>>
        {
            ["LeNet"] = () => (new LeNetModel(), LeNetModel.Description),
            ["Strided"] = () => (new StridedModel(), StridedModel.Description),
            ["Pointwise"] = () => (new PointwiseModel(), PointwiseModel.Description),
            ["Perceptron"] = () => (new PerceptronModel(), PerceptronModel.Description),
            ["ReluFirst"] = () => (new ReluFirstModel(), ReluFirstModel.Description),
            ["Nested"] = () => (new ModelContainer.NestedModel(), ModelContainer.NestedModel.Description),
            ["Saturating"] = () => (new SaturatingModel(), SaturatingModel.Description),
            ["Leaky"] = () => (new LeakyModel(), LeakyModel.Description),
            ["Gated"] = () => (new GatedModel(), GatedModel.Description),
            ["Maxout"] = () => (new MaxoutModel(), MaxoutModel.Description),
            ["Rectangular"] = () => (new RectangularModel(), RectangularModel.Description),
            ["Dilated"] = () => (new DilatedModel(), DilatedModel.Description),
            ["Hinge"] = () => (new HingeModel(), HingeModel.Description),
            ["BatchNorm"] = () => (new BatchNormModel(), BatchNormModel.Description),
            ["UnfoldedBatchNorm"] = () => (new UnfoldedBatchNormModel(), UnfoldedBatchNormModel.Description),
            ["Normalization"] = () => (new NormalizationModel(), NormalizationModel.Description),
            ["LargeKernel"] = () => (new LargeKernelModel(), LargeKernelModel.Description),
        };

    /// <summary>Models with a BatchNorm over features alone, which cannot train on a batch of one.</summary>
    public static readonly IReadOnlySet<string> NeedTwoExamples = new HashSet<string> { "BatchNorm" };
}

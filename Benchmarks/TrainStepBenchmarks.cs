using BenchmarkDotNet.Attributes;
using ModelCompiler.Reference;
using ModelCompiler.Training;

namespace ModelCompiler.Benchmarks;

/// <summary>
/// One training step of the sample network on a batch of 64: forward, loss, backward and an SGD-with-momentum
/// update, generated code against the reference interpreter in float with the same optimizer.
/// </summary>
[MemoryDiagnoser]
public class TrainStepBenchmarks
{
    private const int BatchSize = 64;

    private LeNet5 _model = null!;
    private ReferenceNetwork<float> _reference = null!;
    private float[] _referenceParameters = null!;
    private float[] _referenceGradients = null!;
    private SgdMomentum _optimizer = null!;
    private SgdMomentum _referenceOptimizer = null!;
    private float[] _images = null!;
    private int[] _labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = new LeNet5();
        _model.InitializeParameters(seed: 1);
        _reference = new ReferenceNetwork<float>(LeNet5.Description);
        _referenceParameters = (float[])_model.Parameters.Clone();
        _referenceGradients = new float[LeNet5.ParameterCount];
        // A tiny learning rate keeps the weights, and so the work per step, the same over millions of steps.
        _optimizer = new SgdMomentum(1e-9f, 0.9f);
        _referenceOptimizer = new SgdMomentum(1e-9f, 0.9f);
        _images = BenchmarkInputs.Images(BatchSize);
        _labels = BenchmarkInputs.Labels(BatchSize);
    }

    [Benchmark(Baseline = true)]
    public float Reference()
    {
        float loss = _reference.ComputeGradients(_referenceParameters, _images, _labels, BatchSize, _referenceGradients);
        _referenceOptimizer.Step(_referenceParameters, _referenceGradients);
        return loss;
    }

    [Benchmark]
    public float Generated() => _model.TrainStep(_images, _labels, BatchSize, _optimizer);
}

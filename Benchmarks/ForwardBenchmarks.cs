using BenchmarkDotNet.Attributes;
using ModelCompiler.Reference;

namespace ModelCompiler.Benchmarks;

/// <summary>Inference of the sample network: generated code against the reference interpreter in float.</summary>
[MemoryDiagnoser]
public class ForwardBenchmarks
{
    private LeNet5 _model = null!;
    private ReferenceNetwork<float> _reference = null!;
    private float[] _images = null!;
    private float[] _logits = null!;

    [Params(1, 64)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = new LeNet5();
        _model.InitializeParameters(seed: 1);
        _reference = new ReferenceNetwork<float>(LeNet5.Description);
        _images = BenchmarkInputs.Images(BatchSize);
        _logits = new float[BatchSize * LeNet5.OutputSize];
        _model.Forward(_images, _logits, BatchSize);
    }

    [Benchmark(Baseline = true)]
    public float[] Reference() => _reference.Forward(_model.Parameters, _images, BatchSize);

    [Benchmark]
    public float[] Generated()
    {
        _model.Forward(_images, _logits, BatchSize);
        return _logits;
    }
}

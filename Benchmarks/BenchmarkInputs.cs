using ModelCompiler.Training;

namespace ModelCompiler.Benchmarks;

/// <summary>Seeded random images and labels shared by the benchmarks.</summary>
internal static class BenchmarkInputs
{
    public static float[] Images(int batchSize, int seed = 7)
    {
        var random = new DeterministicRandom((long)seed);
        var values = new float[batchSize * LeNet5.InputSize];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextNormal();
        }

        return values;
    }

    public static int[] Labels(int batchSize) => Enumerable.Range(0, batchSize).Select(i => i % LeNet5.OutputSize).ToArray();
}

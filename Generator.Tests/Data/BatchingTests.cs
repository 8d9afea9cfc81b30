using ModelCompiler.Data;
using ModelCompiler.Training;
using Xunit;

namespace ModelCompiler.Tests.Data;

public class BatchingTests
{
    [Fact]
    public void ShuffleIsSeededPermutation()
    {
        int[] first = IndexShuffler.CreateIdentityPermutation(1000);
        int[] second = IndexShuffler.CreateIdentityPermutation(1000);
        int[] otherSeed = IndexShuffler.CreateIdentityPermutation(1000);

        IndexShuffler.Shuffle(first, new DeterministicRandom(11));
        IndexShuffler.Shuffle(second, new DeterministicRandom(11));
        IndexShuffler.Shuffle(otherSeed, new DeterministicRandom(12));

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
        Assert.Equal(Enumerable.Range(0, 1000), first.Order());
    }

    [Fact]
    public void ShuffleOrdersEquallyLikely()
    {
        const int Trials = 60000;
        var random = new DeterministicRandom(5);
        var counts = new Dictionary<string, int>();
        for (int trial = 0; trial < Trials; trial++)
        {
            int[] indices = [0, 1, 2];
            IndexShuffler.Shuffle(indices, random);
            string key = string.Join(",", indices);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        // Each of the 6 orders has probability 1/6: expected count 10000, standard deviation
        // sqrt(60000 x 1/6 x 5/6) = 91. A biased shuffle (such as swapping with any position) is off by thousands.
        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 10000 - 5 * 91, 10000 + 5 * 91));
    }

    [Fact]
    public void GatherCopiesExamplesInIndexOrder()
    {
        float[] images = [0f, 0.5f, 10f, 10.5f, 20f, 20.5f, 30f, 30.5f];
        int[] labels = [7, 8, 9, 6];
        float[] imageBatch = new float[6];
        int[] labelBatch = new int[3];

        BatchGatherer.Gather(images, labels, exampleSize: 2, [3, 0, 3], imageBatch, labelBatch);

        Assert.Equal([30f, 30.5f, 0f, 0.5f, 30f, 30.5f], imageBatch);
        Assert.Equal([6, 7, 6], labelBatch);
    }

    [Fact]
    public void GatherShortBatchLeavesRest()
    {
        float[] images = [1f, 2f, 3f];
        int[] labels = [4, 5, 6];
        float[] imageBatch = [-1f, -1f, -1f];
        int[] labelBatch = [-1, -1, -1];

        BatchGatherer.Gather(images, labels, exampleSize: 1, [2], imageBatch, labelBatch);

        Assert.Equal([3f, -1f, -1f], imageBatch);
        Assert.Equal([6, -1, -1], labelBatch);
    }

    [Fact]
    public void GatherDoesNotAllocate()
    {
        var split = new MnistSplit(100, 2, 2, new float[400], new int[100]);
        int[] indices = IndexShuffler.CreateIdentityPermutation(100);
        IndexShuffler.Shuffle(indices, new DeterministicRandom(3));
        float[] imageBatch = new float[32 * 4];
        int[] labelBatch = new int[32];
        BatchGatherer.Gather(split, indices.AsSpan(0, 32), imageBatch, labelBatch);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int start = 0; start + 32 <= indices.Length; start += 32)
        {
            BatchGatherer.Gather(split, indices.AsSpan(start, 32), imageBatch, labelBatch);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void GatherIndexOutOfRangeRejected()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => BatchGatherer.Gather([1f, 2f], [0, 1], exampleSize: 1, [1, 2], new float[2], new int[2]));

        Assert.Contains("indices[1] is 2", exception.Message);
        Assert.Contains("[0, 2)", exception.Message);
    }

    [Fact]
    public void GatherSmallBufferRejected()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => BatchGatherer.Gather([1f, 2f, 3f, 4f], [0, 1], exampleSize: 2, [0, 1], new float[3], new int[2]));

        Assert.Contains("imageBatch has 3 values", exception.Message);
        Assert.Contains("need 4", exception.Message);
    }
}

using System.Globalization;
using System.Text;

namespace ModelCompiler.Inspection;

/// <summary>
/// Summary statistics and a histogram of a layer's activations after a forward pass, used to see whether a deep
/// network's signal collapses toward 0 because its weights are too small, or saturates at the ends of the
/// activation's range, such as ±1 for tanh, because they are too large.
/// </summary>
/// <remarks>
/// Instances come from <see cref="Compute"/>. Record equality compares <see cref="BinEdges"/> and
/// <see cref="BinCounts"/> by reference, not by content.
/// </remarks>
public sealed record ActivationStatistics
{
    private ActivationStatistics(
        int count,
        double mean,
        double standardDeviation,
        double min,
        double max,
        double fractionZero,
        double[] binEdges,
        int[] binCounts,
        int belowRange,
        int aboveRange)
    {
        Count = count;
        Mean = mean;
        StandardDeviation = standardDeviation;
        Min = min;
        Max = max;
        FractionZero = fractionZero;
        BinEdges = binEdges;
        BinCounts = binCounts;
        BelowRange = belowRange;
        AboveRange = aboveRange;
    }

    /// <summary>Number of values.</summary>
    public int Count { get; init; }

    /// <summary>Arithmetic mean, accumulated in double.</summary>
    public double Mean { get; init; }

    /// <summary>Population standard deviation (dividing by <see cref="Count"/>), from a second pass over the values.</summary>
    public double StandardDeviation { get; init; }

    /// <summary>Smallest value.</summary>
    public double Min { get; init; }

    /// <summary>Largest value.</summary>
    public double Max { get; init; }

    /// <summary>Fraction of values exactly equal to 0 (either sign), such as the outputs of inactive ReLUs.</summary>
    public double FractionZero { get; init; }

    /// <summary>
    /// Edges of the histogram's equal-width bins, one more than there are bins. Bin i covers
    /// [BinEdges[i], BinEdges[i + 1]), and the last bin also contains its right edge.
    /// </summary>
    public IReadOnlyList<double> BinEdges { get; init; }

    /// <summary>Number of values in each bin. Together with <see cref="BelowRange"/> and <see cref="AboveRange"/> they sum to <see cref="Count"/>.</summary>
    public IReadOnlyList<int> BinCounts { get; init; }

    /// <summary>Number of values below the first edge. Only an explicit histogram minimum can make it nonzero.</summary>
    public int BelowRange { get; init; }

    /// <summary>Number of values above the last edge. Only an explicit histogram maximum can make it nonzero.</summary>
    public int AboveRange { get; init; }

    /// <summary>Computes the statistics and the histogram of <paramref name="values"/>.</summary>
    /// <param name="values">The activations, for example one layer's output buffer for a batch.</param>
    /// <param name="bins">Number of equal-width histogram bins, at least 1.</param>
    /// <param name="min">
    /// Left edge of the histogram, or null for the smallest value. A fixed range, such as [-1, 1] for tanh, makes
    /// histograms of different layers comparable. Values outside the range are counted in <see cref="BelowRange"/>
    /// and <see cref="AboveRange"/>.
    /// </param>
    /// <param name="max">Right edge of the histogram, or null for the largest value.</param>
    /// <remarks>
    /// NaN and infinite values are rejected rather than counted, because they leave the mean, the standard
    /// deviation and the default histogram range undefined. The exception names the index of the first one, which
    /// is how a diverging network shows up here. When all values are equal and neither bound is given, the range
    /// is [value - 0.5, value + 0.5], as in NumPy's <c>histogram</c> (version 1.19 and later).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="values"/> is empty or contains NaN or an infinity, a bound is not finite, or the histogram
    /// minimum is not below the maximum.
    /// </exception>
    public static ActivationStatistics Compute(ReadOnlySpan<float> values, int bins = 20, double? min = null, double? max = null)
    {
        ValidateArguments(values, bins, min, max);

        double sum = 0.0;
        double smallest = double.PositiveInfinity;
        double largest = double.NegativeInfinity;
        int zeros = 0;
        foreach (float value in values)
        {
            sum += value;
            smallest = Math.Min(smallest, value);
            largest = Math.Max(largest, value);
            if (value == 0f)
            {
                zeros++;
            }
        }

        double mean = sum / values.Length;
        double sumOfSquaredDeviations = 0.0;
        foreach (float value in values)
        {
            double deviation = value - mean;
            sumOfSquaredDeviations += deviation * deviation;
        }

        (double low, double high) = ResolveRange(smallest, largest, min, max);
        double[] edges = ComputeEdges(low, high, bins);
        var counts = new int[bins];
        int belowRange = 0;
        int aboveRange = 0;
        foreach (float value in values)
        {
            if (value < low)
            {
                belowRange++;
            }
            else if (value > high)
            {
                aboveRange++;
            }
            else
            {
                counts[FindBin(value, edges)]++;
            }
        }

        return new ActivationStatistics(
            values.Length,
            mean,
            Math.Sqrt(sumOfSquaredDeviations / values.Length),
            smallest,
            largest,
            (double)zeros / values.Length,
            edges,
            counts,
            belowRange,
            aboveRange);
    }

    /// <summary>
    /// Returns a one-line summary, for example
    /// <c>count 4096, mean 0.0003, std 0.2141, min -0.9312, max 0.9507, zero 0.00%</c>. Numbers use the invariant
    /// culture and 4 significant digits, and the fraction of zeros is a percentage with 2 decimals.
    /// </summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"count {Count}, mean {Mean:G4}, std {StandardDeviation:G4}, min {Min:G4}, max {Max:G4}, zero {100.0 * FractionZero:F2}%");

    /// <summary>
    /// Renders the histogram as one text line per bin: the bin's interval, a bar of '#' characters and its count.
    /// The fullest bin gets <paramref name="maxBarWidth"/> characters and the others proportionally fewer, but
    /// at least one when the bin is not empty. A line for values outside the range follows when there are any.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBarWidth"/> is less than 1.</exception>
    public IReadOnlyList<string> FormatHistogram(int maxBarWidth = 40)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBarWidth, 1);

        int bins = BinCounts.Count;
        string[] leftEdges = new string[bins];
        string[] rightEdges = new string[bins];
        for (int i = 0; i < bins; i++)
        {
            leftEdges[i] = FormatNumber(BinEdges[i]);
            rightEdges[i] = FormatNumber(BinEdges[i + 1]);
        }

        int leftWidth = leftEdges.Max(text => text.Length);
        int rightWidth = rightEdges.Max(text => text.Length);
        int countWidth = BinCounts.Max().ToString(CultureInfo.InvariantCulture).Length;
        int maxCount = BinCounts.Max();

        var lines = new List<string>(bins + 2);
        for (int i = 0; i < bins; i++)
        {
            int count = BinCounts[i];
            int barLength = count == 0 ? 0 : Math.Max(1, (int)Math.Round((double)count * maxBarWidth / maxCount));
            char closing = i == bins - 1 ? ']' : ')';
            var line = new StringBuilder();
            line.Append('[').Append(leftEdges[i].PadLeft(leftWidth)).Append(", ").Append(rightEdges[i].PadLeft(rightWidth));
            line.Append(closing).Append(' ');
            line.Append(count.ToString(CultureInfo.InvariantCulture).PadLeft(countWidth));
            if (barLength > 0)
            {
                line.Append(' ').Append('#', barLength);
            }

            lines.Add(line.ToString());
        }

        if (BelowRange > 0 || AboveRange > 0)
        {
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"outside the range: {BelowRange} below {FormatNumber(BinEdges[0])}, {AboveRange} above {FormatNumber(BinEdges[bins])}"));
        }

        return lines;
    }

    private static string FormatNumber(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static void ValidateArguments(ReadOnlySpan<float> values, int bins, double? min, double? max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (values.IsEmpty)
        {
            throw new ArgumentException("values is empty; expected at least one activation.", nameof(values));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"values[{i}] is {values[i]}; expected finite activations. NaN or infinite activations usually " +
                    "mean that the forward pass diverged.",
                    nameof(values));
            }
        }

        if (min is double minValue && !double.IsFinite(minValue))
        {
            throw new ArgumentException($"min is {minValue}; expected a finite histogram edge or null.", nameof(min));
        }

        if (max is double maxValue && !double.IsFinite(maxValue))
        {
            throw new ArgumentException($"max is {maxValue}; expected a finite histogram edge or null.", nameof(max));
        }
    }

    private static (double Low, double High) ResolveRange(double smallest, double largest, double? min, double? max)
    {
        if (min is null && max is null && smallest == largest)
        {
            return (smallest - 0.5, largest + 0.5);
        }

        double low = min ?? smallest;
        double high = max ?? largest;
        if (!(low < high))
        {
            throw new ArgumentException(
                $"The histogram range is [{low}, {high}] (min {Describe(min)}, max {Describe(max)}); expected min < max.",
                min is null ? nameof(max) : nameof(min));
        }

        if (!double.IsFinite(high - low))
        {
            throw new ArgumentException(
                $"The histogram range [{low}, {high}] is wider than the largest double; expected a narrower range.",
                min is null ? nameof(max) : nameof(min));
        }

        return (low, high);
    }

    private static string Describe(double? bound) => bound is null ? "from the data" : "given";

    private static double[] ComputeEdges(double low, double high, int bins)
    {
        var edges = new double[bins + 1];
        double width = high - low;
        for (int i = 0; i < bins; i++)
        {
            edges[i] = low + width * i / bins;
        }

        edges[bins] = high;
        return edges;
    }

    // Returns the bin of a value in [edges[0], edges[^1]]. The arithmetic estimate can be off by one next to an
    // edge because of rounding, so it is corrected against the stored edges, which are the ones the caller gets.
    private static int FindBin(double value, double[] edges)
    {
        int bins = edges.Length - 1;
        double low = edges[0];
        double width = edges[bins] - low;
        int bin = Math.Clamp((int)((value - low) / width * bins), 0, bins - 1);
        while (bin > 0 && value < edges[bin])
        {
            bin--;
        }

        while (bin < bins - 1 && value >= edges[bin + 1])
        {
            bin++;
        }

        return bin;
    }
}
